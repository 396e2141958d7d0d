namespace Metal3.Core.Bmc;

public sealed record BmcFieldError(BmcField Field, string Message);
