namespace Metal3.Cli;

/// <summary>
/// What <c>metal3ctl</c> exits with, so scripts can tell "retry later" from "fix your input" without parsing text.
/// The README lists the same table.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Anything else the daemon refused (400, 409, 412, 5xx) or an operation that ended in error.</summary>
    public const int Error = 1;

    /// <summary>The command line or an input file is wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The host (or other resource) does not exist (404).</summary>
    public const int NotFound = 3;

    /// <summary>The token is missing, wrong (401) or lacks the role (403).</summary>
    public const int Unauthorized = 4;

    /// <summary>The daemon could not be reached (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 5;

    /// <summary>Ctrl+C during a wait (128 + SIGINT, as shells report it); a watch stopped with Ctrl+C exits 0.</summary>
    public const int Interrupted = 130;
}
