using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Ipmi;

/// <summary>The driver's log messages, with stable event ids (LoggerMessage source generator).</summary>
internal static partial class IpmiLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "IPMI: dropped a datagram from {Endpoint}: {Reason}")]
    public static partial void Dropped(ILogger logger, IPEndPoint endpoint, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "IPMI: send to {Endpoint} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "IPMI: receive failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "IPMI: no answer from {Endpoint} to {What} (attempt {Attempt}), retransmitting")]
    public static partial void Retransmit(ILogger logger, IPEndPoint endpoint, string what, int attempt);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "IPMI: session {SessionId:X8} with {Endpoint} established ({Suite})")]
    public static partial void SessionOpened(ILogger logger, uint sessionId, IPEndPoint endpoint, string suite);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "IPMI: session with {Endpoint} dropped: {Reason}")]
    public static partial void SessionDropped(ILogger logger, IPEndPoint endpoint, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "IPMI: {Host} refused the credentials: {Reason}")]
    public static partial void Refused(ILogger logger, string host, string reason);
}
