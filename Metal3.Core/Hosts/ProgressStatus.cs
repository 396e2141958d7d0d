using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record ProgressStatus(long BytesWritten, long? BytesTotal);
