using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Metal3.Server.Agent;

/// <summary>
/// The agent lookup is open to anyone on the provisioning network, and every refused one leaves a warning event; so each
/// source address gets <see cref="AgentOptions.LookupsPerMinute"/> lookups a minute, and the rest get <c>429</c> with
/// <c>Retry-After</c>. A real agent looks up once per boot, or every 5 s while its host is not ready for it.
/// </summary>
public static class AgentLookupRateLimit
{
    public const string Policy = "agent-lookup";

    public static IServiceCollection AddAgentLookupRateLimit(this IServiceCollection services, AgentOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.LookupsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, ct) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await TypedResults.Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests,
                        detail: $"more than {options.LookupsPerMinute} agent lookups a minute from this address; retry later")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
}
