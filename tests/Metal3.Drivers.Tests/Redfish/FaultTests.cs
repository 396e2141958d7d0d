using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Redfish;
using Microsoft.AspNetCore.Http;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>What BMCs do when things go wrong, injected into the loopback server, and what the driver makes of it.</summary>
public sealed class FaultTests
{
    private const string Dmtf = "dmtf-public-rackmount1";
    private const string DmtfSystem = "/redfish/v1/Systems/437XR1138R2";
    private const string Ilo = "cray-hpe-DL325";
    private const string IloSystem = "/redfish/v1/Systems/1";
    private static readonly CancellationToken None = CancellationToken.None;

    private static bool IsSystem(RecordedRequest r, string system) =>
        MockupTree.Key(r.Path).Equals(MockupTree.Key(system), StringComparison.OrdinalIgnoreCase);

    private static Func<HttpContext, RecordedRequest, Task<bool>> Once(Func<RecordedRequest, bool> when, Func<HttpContext, Task> answer)
    {
        int fired = 0;
        return async (context, request) =>
        {
            if (!when(request) || Interlocked.Exchange(ref fired, 1) == 1) return false;
            await answer(context);
            return true;
        };
    }

    private static Task Status(HttpContext context, int status, string? body = null, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        if (body is null) return Task.CompletedTask;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task An_expired_session_is_replaced_by_a_new_login_and_the_call_succeeds()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));
        Assert.True((await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None)).IsOk);

        server.ExpireSessions();
        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.True(power.IsOk, power.ToString());
        Assert.Equal(2, server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Sessions", StringComparison.Ordinal)));
        Assert.Single(server.OpenSessions);
    }

    [Fact]
    public async Task A_401_that_survives_a_fresh_login_is_wrong_credentials()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            if (r.Method != "GET" || !IsSystem(r, DmtfSystem)) return false;
            await RedfishTestServer.WriteErrorAsync(context, 401, "Base.1.0.InsufficientPrivilege", "The account has been disabled.");
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.WrongCredentials, power.Outcome);
        Assert.Contains("The account has been disabled.", power.Message);
        Assert.Equal(2, server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/Sessions", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_at_login_as_wrong_credentials()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(), password: "not-the-password"));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.WrongCredentials, power.Outcome);
        Assert.Contains("admin", power.Message);
        Assert.DoesNotContain("not-the-password", power.Message);
    }

    [Fact]
    public async Task When_every_session_slot_is_taken_the_driver_falls_back_to_basic_auth()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.MaxSessions = 0;
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.True(power.IsOk, power.ToString());
        var read = Assert.Single(server.Requests, r => r.Method == "GET" && IsSystem(r, DmtfSystem));
        Assert.StartsWith("Basic ", read.Header("Authorization"));
    }

    [Fact]
    public async Task A_503_with_retry_after_is_waited_out_and_retried()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = Once(r => r.Method == "GET" && IsSystem(r, DmtfSystem), context =>
        {
            context.Response.Headers.RetryAfter = "1";
            return RedfishTestServer.WriteErrorAsync(context, 503, "Base.1.0.ServiceTemporarilyUnavailable", "busy");
        });
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var clock = Stopwatch.StartNew();
        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.True(power.IsOk, power.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Requests.Count(r => r.Method == "GET" && IsSystem(r, DmtfSystem)));
    }

    [Fact]
    public async Task A_500_on_a_read_is_retried_with_back_off_but_a_500_on_a_reset_is_not()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        int reads = 0;
        server.Intercept = async (context, r) =>
        {
            if (r.Method == "GET" && IsSystem(r, DmtfSystem) && Interlocked.Increment(ref reads) <= 2)
            {
                await RedfishTestServer.WriteErrorAsync(context, 500, "Base.1.0.InternalError", "try later");
                return true;
            }
            if (r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal))
            {
                await RedfishTestServer.WriteErrorAsync(context, 500, "Base.1.0.InternalError", "reset failed");
                return true;
            }
            return false;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, off.Outcome);
        Assert.Contains("reset failed", off.Message);
        Assert.Equal(3, reads);
        Assert.Single(server.Requests, r => r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_412_on_a_stale_etag_rereads_the_system_and_patches_with_the_new_etag()
    {
        await using var server = await RedfishTestServer.StartAsync(Ilo);
        var system = server.Tree.Get(IloSystem)!;
        server.Intercept = Once(r => r.Method == "PATCH", context =>
        {
            // Someone else changed the system between our read and our write.
            lock (server.Tree.Sync) system["@odata.etag"] = "W/\"changed-by-someone-else\"";
            return RedfishTestServer.WriteErrorAsync(context, 412, "Base.1.0.PreconditionFailed", "ETag mismatch");
        });
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(IloSystem)));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        var patches = server.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.Equal("W/\"1C210906\"", patches[0].Header("If-Match"));
        Assert.Equal("W/\"changed-by-someone-else\"", patches[1].Header("If-Match"));
    }

    [Fact]
    public async Task A_boot_override_the_bmc_silently_reverts_is_written_again_and_then_reported()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            if (r.Method != "PATCH") return false;
            await Status(context, 200, "{}");
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Uefi, true), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, boot.Outcome);
        Assert.Contains("kept Pxe/Once/UEFI", boot.Message);
        Assert.Equal(2, server.Requests.Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task A_boot_override_reverted_once_is_written_again_and_then_sticks()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = Once(r => r.Method == "PATCH", context => Status(context, 200, "{}"));
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Uefi, true), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        Assert.Equal("Hdd", server.Tree.Get(DmtfSystem)!["Boot"]!["BootSourceOverrideTarget"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bmc_that_rejects_the_boot_mode_gets_the_override_without_it()
    {
        await using var server = await RedfishTestServer.StartAsync("cray-hpe-XL675d_A100");
        server.Intercept = async (context, r) =>
        {
            if (r.Method != "PATCH" || r.Body?["Boot"]?["BootSourceOverrideMode"] is null) return false;
            await RedfishTestServer.WriteErrorAsync(context, 400, "Base.1.0.PropertyUnknown", "The property BootSourceOverrideMode is not in the list of valid properties for the resource.");
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        var patches = server.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.Null(patches[1].Body!["Boot"]!["BootSourceOverrideMode"]);
    }

    [Fact]
    public async Task A_refused_mode_change_on_a_bmc_in_the_other_mode_is_reported()
    {
        await using var server = await RedfishTestServer.StartAsync(Ilo);
        server.Intercept = async (context, r) =>
        {
            if (r.Method != "PATCH" || r.Body?["Boot"]?["BootSourceOverrideMode"] is null) return false;
            await RedfishTestServer.WriteErrorAsync(context, 400, "Base.1.0.PropertyNotWritable", "BootSourceOverrideMode is read only.");
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Legacy, false), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, boot.Outcome);
        Assert.Contains("refused to set BootSourceOverrideMode Legacy", boot.Message);
    }

    [Fact]
    public async Task A_boot_target_the_bmc_does_not_allow_is_unsupported_and_nothing_is_written()
    {
        await using var server = await RedfishTestServer.StartAsync("cray-hpe-Intel");
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.UefiHttp, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.Unsupported, boot.Outcome);
        Assert.DoesNotContain(server.Requests, r => r.Method == "PATCH");
    }

    private static Func<HttpContext, RecordedRequest, Task<bool>> ResetAsTask(string finalTaskJson, int runningPolls)
    {
        int polls = 0;
        return async (context, r) =>
        {
            if (r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal))
            {
                context.Response.Headers.Location = "/redfish/v1/TaskService/TaskMonitors/7";
                await Status(context, 202, """{"@odata.id": "/redfish/v1/TaskService/Tasks/7", "Id": "7", "TaskState": "New"}""");
                return true;
            }
            if (r.Method == "GET" && r.Path == "/redfish/v1/TaskService/TaskMonitors/7")
            {
                if (Interlocked.Increment(ref polls) <= runningPolls)
                {
                    await Status(context, 202, """{"Id": "7", "TaskState": "Running", "PercentComplete": 50}""");
                }
                else
                {
                    await Status(context, 200, finalTaskJson);
                }
                return true;
            }
            return false;
        };
    }

    [Fact]
    public async Task A_reset_answered_with_a_task_monitor_is_followed_to_completion()
    {
        var completed = RecordedExchange.Load("sushy-tools-fake-emulator", "24-get-task-42.json").ResponseBody!;
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = ResetAsTask(completed, runningPolls: 2);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);

        Assert.True(off.IsOk, off.ToString());
        Assert.Equal(3, server.Requests.Count(r => r.Path.EndsWith("/TaskMonitors/7", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_task_that_ends_in_exception_is_a_bmc_error_with_the_task_messages()
    {
        // A real AMI task that failed (GIGABYTE capture, TaskState Exception).
        string failed = File.ReadAllText(Path.Combine(Mockups.PathOf("cray-hpe-Gigabyte"), "TaskService/Tasks/606/index.json"));
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = ResetAsTask(failed, runningPolls: 1);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, off.Outcome);
        Assert.Contains("Exception", off.Message);
    }

    [Fact]
    public async Task A_task_still_running_at_the_deadline_is_reported_with_its_progress()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = ResetAsTask("{}", runningPolls: int.MaxValue);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        // Log in first, with time to spare, so that the short deadline below is all spent on the task.
        Assert.True((await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None)).IsOk);

        // Long enough that a loaded machine still gets a task poll in before it (the task never ends anyway).
        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(6), None);

        Assert.True(off.Outcome == BmcOutcome.BmcError, off.ToString());
        Assert.Contains("had not finished by the deadline", off.Message);
        Assert.Contains("Running, 50%", off.Message);
    }

    [Fact]
    public async Task A_task_poll_cut_short_by_the_deadline_is_the_task_running_late_not_an_unreachable_bmc()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        var running = ResetAsTask("{}", runningPolls: 1);
        int polls = 0;
        server.Intercept = async (context, r) =>
        {
            // The first poll shows the task at 50 %; every later one hangs past the caller's deadline.
            if (r.Path.EndsWith("/TaskMonitors/7", StringComparison.Ordinal) && Interlocked.Increment(ref polls) > 1)
            {
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
                return true;
            }
            return await running(context, r);
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));
        Assert.True((await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None)).IsOk);

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(3), None);

        Assert.True(off.Outcome == BmcOutcome.BmcError, off.ToString());
        Assert.Contains("had not finished by the deadline", off.Message);
        Assert.Contains("Running, 50%", off.Message);
        Assert.True(polls >= 2, $"{polls} polls");
    }

    [Fact]
    public async Task A_bmc_that_never_answers_is_unreachable_within_the_request_timeout()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            if (!IsSystem(r, DmtfSystem)) return false;
            try { await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted); }
            catch (OperationCanceledException) { }
            return true;
        };
        await using var driver = TestDriver.Create(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var clock = Stopwatch.StartNew();
        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.Unreachable, power.Outcome);
        Assert.Contains("no answer", power.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refused_connection_is_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target($"redfish+http://127.0.0.1:{port}/redfish/v1/Systems/1"));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.Unreachable, power.Outcome);
        Assert.Contains($"127.0.0.1:{port}", power.Message);
    }

    [Fact]
    public async Task A_caller_cancellation_stops_the_call()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted); }
            catch (OperationCanceledException) { }
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bmc.Power.GetPowerAsync(TestDriver.Deadline(), cts.Token));
    }

    [Theory]
    [InlineData(200, "application/json", "{\"PowerState\": \"On\", ", "not valid JSON")]
    [InlineData(200, "text/html", "<html><head><title>Web Server Error</title></head><body>oops</body></html>", "HTML page titled \"Web Server Error\"")]
    [InlineData(500, "text/html", "<HTML><HEAD><TITLE>500 Internal Server Error</TITLE></HEAD></HTML>", "HTTP 500 InternalServerError: the body is an HTML page titled \"500 Internal Server Error\"")]
    [InlineData(200, "application/json", "[1, 2, 3]", "JSON Array, not an object")]
    [InlineData(200, "application/json", "", "the body is empty")]
    [InlineData(200, "application/json", "{\"PowerState\": null}", "no PowerState")]
    [InlineData(200, "application/json", "{\"PowerState\": 7}", "unknown PowerState '7'")]
    [InlineData(200, "application/json", "{\"PowerState\": \"Exploded\"}", "unknown PowerState 'Exploded'")]
    public async Task A_body_that_is_not_a_redfish_resource_is_a_clear_bmc_error(int status, string contentType, string body, string message)
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            if (!IsSystem(r, DmtfSystem)) return false;
            await Status(context, status, body, contentType);
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, power.Outcome);
        Assert.Contains(message, power.Message);
    }

    [Fact]
    public async Task A_huge_body_is_refused_without_reading_all_of_it()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        server.Intercept = async (context, r) =>
        {
            if (!IsSystem(r, DmtfSystem)) return false;
            context.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            try
            {
                for (int i = 0; i < 64 && !context.RequestAborted.IsCancellationRequested; i++) await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
            return true;
        };
        await using var driver = TestDriver.Create(o => o.MaxResponseBytes = 1024 * 1024);
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, power.Outcome);
        Assert.Contains("larger than the 1048576 bytes allowed", power.Message);
    }

    [Fact]
    public async Task Numbers_sent_as_strings_are_read_and_properties_of_the_wrong_type_are_ignored()
    {
        var tree = MockupTree.Load(Dmtf);
        var system = tree.Get(DmtfSystem)!;
        system["ProcessorSummary"]!["Count"] = "2";
        system["MemorySummary"]!["TotalSystemMemoryGiB"] = "96";
        system["EthernetInterfaces"] = "not a link";
        system["Manufacturer"] = new JsonArray("Contoso");
        await using var server = await RedfishTestServer.StartAsync(tree);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var inventory = await bmc.Inventory.ReadInventoryAsync(TestDriver.Deadline(), None);

        Assert.True(inventory.IsOk, inventory.ToString());
        Assert.Equal(2, inventory.Value.Cpu!.Count);
        Assert.Equal(96 * 1024, inventory.Value.RamMebibytes);
        Assert.Empty(inventory.Value.Nics);
        Assert.Null(inventory.Value.SystemVendor!.Manufacturer);
    }

    [Fact]
    public async Task A_bmc_with_several_systems_and_no_path_in_the_address_is_a_clear_error()
    {
        var tree = MockupTree.Load(Dmtf);
        var systems = tree.Get("/redfish/v1/Systems")!;
        systems["Members"]!.AsArray().Add(new JsonObject { ["@odata.id"] = "/redfish/v1/Systems/second" });
        await using var server = await RedfishTestServer.StartAsync(tree);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, power.Outcome);
        Assert.Contains("2 systems", power.Message);
        Assert.Contains($"redfish+http://127.0.0.1:{server.Port}{DmtfSystem}", power.Message);
    }

    [Fact]
    public async Task A_path_naming_no_system_is_a_clear_error()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address("/redfish/v1/Systems/nope")));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, power.Outcome);
        Assert.Contains("no system at /redfish/v1/Systems/nope", power.Message);
    }

    [Fact]
    public async Task An_already_on_host_that_the_bmc_answers_409_for_counts_as_on()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        var system = server.Tree.Get(DmtfSystem)!;
        system["PowerState"] = "Off";
        server.Intercept = Once(r => r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal), context =>
        {
            // The host came on between our read and our reset, as iDRAC reports with 409.
            lock (server.Tree.Sync) system["PowerState"] = "On";
            return RedfishTestServer.WriteErrorAsync(context, 409, "IDRAC.2.8.PSU501", "Server is already powered ON.");
        });
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var on = await bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);

        Assert.True(on.IsOk, on.ToString());
    }

    [Fact]
    public async Task A_task_monitor_named_by_an_absolute_url_on_another_host_is_polled_on_the_bmc_itself()
    {
        var completed = RecordedExchange.Load("sushy-tools-fake-emulator", "24-get-task-42.json").ResponseBody!;
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        var inner = ResetAsTask(completed, runningPolls: 0);
        server.Intercept = async (context, r) =>
        {
            if (r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal))
            {
                // iLO names itself by host name in Location; that name may not resolve, and must not receive our token.
                context.Response.Headers.Location = "https://ilo-not-resolvable.example/redfish/v1/TaskService/TaskMonitors/7";
                await Status(context, 202);
                return true;
            }
            return await inner(context, r);
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);

        Assert.True(off.IsOk, off.ToString());
        Assert.Single(server.Requests, r => r.Path == "/redfish/v1/TaskService/TaskMonitors/7");
    }

    [Fact]
    public async Task Connections_to_one_bmc_share_a_session_and_never_exceed_the_request_limit()
    {
        await using var server = await RedfishTestServer.StartAsync(Dmtf);
        int inFlight = 0, peak = 0;
        server.Intercept = async (context, r) =>
        {
            if (!IsSystem(r, DmtfSystem)) return false;
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(50);
            Interlocked.Decrement(ref inFlight);
            return false;
        };
        await using var driver = TestDriver.Create(o => o.MaxConcurrentRequestsPerBmc = 2);
        var target = TestDriver.Target(server.Address(DmtfSystem));

        var reads = Enumerable.Range(0, 8).Select(_ => driver.Connect(target).Power.GetPowerAsync(TestDriver.Deadline(), None));
        var results = await Task.WhenAll(reads);

        Assert.All(results, r => Assert.True(r.IsOk, r.ToString()));
        Assert.InRange(peak, 1, 2);
        Assert.Single(server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/Sessions", StringComparison.Ordinal));
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, seen) != seen) { }
    }

    [Fact]
    public async Task A_reboot_on_a_bmc_without_restart_types_is_done_as_off_then_on()
    {
        var tree = MockupTree.Load(Dmtf);
        tree.Get(DmtfSystem)!["Actions"]!["#ComputerSystem.Reset"]!["ResetType@Redfish.AllowableValues"] = new JsonArray("On", "ForceOff");
        await using var server = await RedfishTestServer.StartAsync(tree);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(DmtfSystem)));

        var reboot = await bmc.Power.SetPowerAsync(PowerAction.Reboot, TestDriver.Deadline(), None);

        Assert.True(reboot.IsOk, reboot.ToString());
        var resets = server.Requests.Where(r => r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal))
            .Select(r => r.Body!["ResetType"]!.GetValue<string>());
        Assert.Equal(["ForceOff", "On"], resets);
    }
}
