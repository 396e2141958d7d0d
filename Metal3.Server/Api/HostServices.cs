using FluentValidation;
using Metal3.Data;
using Metal3.Server.Api.Contracts;
using Metal3.Server.Security;

namespace Metal3.Server.Api;

/// <summary>What the host endpoints need, as one parameter.</summary>
public sealed class HostServices(HostStore store, IValidator<HostRequest> validator, BmcPasswordProtector passwords, TimeProvider time)
{
    public HostStore Store => store;
    public IValidator<HostRequest> Validator => validator;
    public BmcPasswordProtector Passwords => passwords;
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
