namespace Metal3.Core.Bmc;

public sealed record BmcCredentials(string? Username, string? Password)
{
    public override string ToString() => $"BmcCredentials {{ Username = {Username}, Password = *** }}";
}
