namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// One step of an agent command: what the agent reported; the step's result while the command has not succeeded (null
/// once it has, or when there is no agent: each state goes on in its own way then); and what starting or ending the
/// command changes on the host, which the state's outcome carries on whatever it returns.
/// </summary>
internal sealed record AgentRun(AgentProgress Progress, StepResult? Unfinished, HostChanges Changes);
