using System.Text;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Api;

/// <summary>The daemon refused a request; <see cref="Problem"/> says why.</summary>
public sealed class ApiProblemException(ApiProblem problem)
    : CliException(problem.Describe(), problem.ExitCode)
{
    public ApiProblem Problem { get; } = problem;
}
