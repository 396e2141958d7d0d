using System.Runtime.CompilerServices;
using System.Text.Json;
using FluentValidation;

namespace Metal3.Server.Api.Validation;

internal static class ValidationNames
{
    /// <summary>Errors name fields as the JSON does (<c>bmc.address</c>, not <c>Bmc.Address</c>).</summary>
    [ModuleInitializer]
    internal static void UseJsonFieldNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
    }
}
