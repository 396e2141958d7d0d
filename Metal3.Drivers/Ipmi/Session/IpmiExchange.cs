using System.Net;
using Microsoft.Extensions.Logging;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Transport;

namespace Metal3.Drivers.Ipmi.Session;

/// <summary>
/// Request/answer over UDP with retransmission: send, wait up to the retransmit timeout for a datagram the caller
/// accepts, send again (rebuilt, so a session message gets a fresh sequence number), up to the retry budget. Only
/// the holder of the BMC's lock calls this, so the BMC's mailbox holds answers to this exchange or stale noise.
/// </summary>
internal sealed class IpmiExchange(IpmiTransport transport, IPEndPoint endpoint, IpmiOptions options, ILogger logger)
{
    public IPEndPoint Endpoint => endpoint;

    public async Task<T> RunAsync<T>(string what, Func<byte[]> build, Func<byte[], Verdict<T>> accept, CancellationToken ct, int? attempts = null)
        where T : class
    {
        int budget = attempts ?? options.MaxAttempts;
        var mailbox = transport.Mailbox(endpoint);
        transport.Drain(endpoint);
        for (int attempt = 1; attempt <= budget; attempt++)
        {
            await transport.SendAsync(endpoint, build(), ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(options.RetransmitTimeout);
            try
            {
                while (true)
                {
                    byte[] datagram = await mailbox.ReadAsync(wait.Token);
                    Verdict<T> verdict;
                    try
                    {
                        verdict = accept(datagram);
                    }
                    catch (Exception e) when (e is not IpmiFailure)
                    {
                        // A parser bug must not take the daemon down: treat it as one more bad datagram.
                        verdict = Verdict<T>.Drop($"{what}: {e.GetType().Name}: {e.Message}");
                    }
                    if (verdict.Answer is { } answer)
                    {
                        return answer;
                    }
                    IpmiLog.Dropped(logger, endpoint, verdict.DropReason ?? "not the awaited answer");
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (attempt < budget)
                {
                    IpmiLog.Retransmit(logger, endpoint, what, attempt);
                }
            }
        }
        throw new IpmiFailure(BmcOutcome.Unreachable,
            $"no answer from {endpoint} to {what} after {budget} attempts of {options.RetransmitTimeout.TotalSeconds:0.#} s");
    }

    /// <summary>
    /// Waits a little longer, without sending, for a better answer than one already received; null if none comes. Used
    /// when an unauthenticated answer says "wrong password": a forged or corrupted datagram must not get the last word
    /// when the genuine answer is right behind it.
    /// </summary>
    public async Task<T?> WaitForBetterAsync<T>(Func<byte[], Verdict<T>> accept, TimeSpan grace, CancellationToken ct)
        where T : class
    {
        var mailbox = transport.Mailbox(endpoint);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(grace);
        try
        {
            while (true)
            {
                byte[] datagram = await mailbox.ReadAsync(wait.Token);
                Verdict<T> verdict;
                try
                {
                    verdict = accept(datagram);
                }
                catch (Exception e) when (e is not IpmiFailure)
                {
                    verdict = Verdict<T>.Drop(e.Message);
                }
                if (verdict.Answer is { } answer)
                {
                    return answer;
                }
                IpmiLog.Dropped(logger, endpoint, verdict.DropReason ?? "not the awaited answer");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
