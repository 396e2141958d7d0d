using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Metal3.Data.Outages;
using Metal3.Data;
using Metal3.Drivers;
using Metal3.Server.Auth;
using Metal3.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Jobs;

public static class JobsServiceExtensions
{
    /// <summary>
    /// Hangfire runs the reconcile jobs: on PostgreSQL when the hosts are there (jobs are shared by every daemon and
    /// picked up through LISTEN/NOTIFY), in memory with SQLite (one daemon; the host rows, not the jobs, are the truth).
    /// </summary>
    public static IServiceCollection AddMetal3Jobs(this IServiceCollection services, IConfiguration config, DatabaseOptions database)
    {
        // Read here as well, because whether workers run decides what is registered.
        var timings = config.GetSection(JobTimings.Section).Get<JobTimings>() ?? new JobTimings();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobTimings>>().Value);
        services.AddSingleton(sp => BmcProbeTiming.Default with { First = sp.GetRequiredService<JobTimings>().BmcProbeAfter });
        services.AddSingleton<DaemonIdentity>();
        services.AddSingleton<BmcTargets>();
        // The storage is this app's own service, not Hangfire's process-wide JobStorage.Current, so that two daemons
        // hosted in one process (the tests do that) never share a queue. Registered before AddHangfire, whose
        // TryAdd registrations then build the job client, the recurring job manager and the server on it.
        services.AddSingleton<JobStorage>(_ => database.Provider == DatabaseProvider.Postgres
            ? PostgresStorage(database.ConnectionString!)
            : new InMemoryStorage());
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseFilter(new OutageRetryFilter())
            .UseLogProvider(new SurvivingLogProvider(sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<DatabaseOutages>())));
        if (timings.Enabled)
        {
            services.AddHangfireServer((sp, o) =>
            {
                o.WorkerCount = timings.Workers;
                // SIGTERM: running jobs are cancelled at once and hand their hosts back (ReconcileHostJob); what does not
                // finish within this is abandoned, well inside the host's own shutdown timeout (GracefulStop).
                o.ShutdownTimeout = GracefulStop.JobsWithin;
                o.StopTimeout = TimeSpan.Zero;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.ServerName = sp.GetRequiredService<DaemonIdentity>().Id;
            });
        }
        services.AddSingleton<HangfireReconcileQueue>();
        services.AddSingleton<ReconcileNudges>();
        services.AddSingleton<IReconcileQueue>(sp => sp.GetRequiredService<ReconcileNudges>());
        services.AddHostedService(sp => sp.GetRequiredService<ReconcileNudges>());
        services.AddSingleton<RunningSteps>();
        services.AddTransient<ReconcileHostJob>();
        services.AddTransient<PowerSyncJob>();
        services.AddSingleton<SweepService>();
        if (timings.Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<SweepService>());
        }
        return services;
    }

    private static PostgreSqlStorage PostgresStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // LISTEN/NOTIFY: a job enqueued by any daemon wakes the workers at once instead of at the next poll.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    public static WebApplication MapMetal3Jobs(this WebApplication app)
    {
        var timings = app.Services.GetRequiredService<JobTimings>();
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<PowerSyncJob>(
            PowerSyncJob.RecurringId, job => job.RunAsync(CancellationToken.None), CronFor(timings.PowerSyncInterval));
        // The endpoint's authorization (admin) guards the dashboard; Hangfire's own filter would allow only local requests.
        app.MapHangfireDashboard("/jobs", new DashboardOptions { Authorization = [new AuthenticatedByEndpoint()], DisplayStorageConnectionString = false },
                app.Services.GetRequiredService<JobStorage>())
            .RequireAuthorization(Roles.CanWrite);
        return app;
    }

    /// <summary>
    /// Hangfire schedules by cron: whole minutes below an hour, whole hours below a day, once a day beyond (a step of 60
    /// minutes or 24 hours is no cron at all, and would stop the daemon at start).
    /// </summary>
    internal static string CronFor(TimeSpan interval) => interval switch
    {
        { TotalMinutes: < 1 } => Cron.Minutely(),
        { TotalHours: < 1 } => $"*/{(int)interval.TotalMinutes} * * * *",
        { TotalDays: < 1 } => $"0 */{(int)interval.TotalHours} * * *",
        _ => Cron.Daily(),
    };

    private sealed class AuthenticatedByEndpoint : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
