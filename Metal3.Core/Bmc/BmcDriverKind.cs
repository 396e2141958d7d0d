namespace Metal3.Core.Bmc;

public enum BmcDriverKind { Ipmi, Redfish, RedfishVirtualMedia, Fake }
