using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

public enum WriteOutcome
{
    Saved,
    /// <summary>The decision was to change nothing: nothing was written.</summary>
    Unchanged,
    /// <summary>The decision refused the write (see <see cref="HostUpdate{T}.Refusal"/>).</summary>
    Refused,
    NameTaken,
    BootMacTaken,
    StaleVersion,
    NotFound,
    /// <summary>
    /// A reconcile step's save, refused because its daemon no longer holds the host's lease: another daemon took the
    /// host after the lease ran out, and this late write must not clobber what the new owner does.
    /// </summary>
    LeaseLost,
}
