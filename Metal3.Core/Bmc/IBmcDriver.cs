namespace Metal3.Core.Bmc;

/// <summary>Makes connections for the address schemes it serves (BMO's RegisterFactory).</summary>
public interface IBmcDriver
{
    BmcDriverDescriptor Descriptor { get; }
    BmcConnection Connect(BmcTarget target);
}
