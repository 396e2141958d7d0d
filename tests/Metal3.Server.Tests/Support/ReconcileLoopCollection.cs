namespace Metal3.Server.Tests.Support;

/// <summary>
/// Tests that run the reconcile loop over many hosts or start daemon processes: they run one at a time, after the
/// others, so that on a 2-core machine their deadlines measure the daemon and not the other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReconcileLoopCollection
{
    public const string Name = "reconcile loop";
}
