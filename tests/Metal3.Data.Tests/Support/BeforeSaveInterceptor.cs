using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Metal3.Data.Tests.Support;

/// <summary>
/// Runs <paramref name="interleave"/> once, when the context's first save starts: after the store has read and decided
/// (and loaded the label rows it syncs), before its statements reach the database. The narrowest race there is.
/// </summary>
public sealed class BeforeSaveInterceptor(Func<Task> interleave) : SaveChangesInterceptor
{
    private int _ran;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ran, 1) == 0)
        {
            await interleave();
        }
        return result;
    }
}
