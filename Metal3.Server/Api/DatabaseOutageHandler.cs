using System.Globalization;
using Metal3.Data.Outages;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.Api;

/// <summary>
/// A request that needed the database while it is away (the token lookup, a read, a write) gets 503 with
/// <c>Retry-After</c>, not a 500: nothing is wrong with the request, and sent again later it will work. A write that
/// failed this way changed nothing (its transaction never committed). The outage is logged once, not per request.
/// </summary>
public sealed class DatabaseOutageHandler(DatabaseOutages outages, IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted || !outages.Report(exception, "the API"))
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)DatabaseOutages.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "the database cannot be reached just now; nothing was changed, try again after Retry-After seconds",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }
}
