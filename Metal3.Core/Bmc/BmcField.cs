namespace Metal3.Core.Bmc;

/// <summary>A BMC setting a driver can find wrong.</summary>
public enum BmcField { Address, Username, Password }
