using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Metal3.Server.Tests.Support.Browser;

/// <summary>
/// One browser tab over the Chrome DevTools Protocol: commands are JSON messages with an id, answered by a message with
/// the same id; everything else is an event. Console messages, uncaught exceptions and log entries (where Chromium
/// reports Content-Security-Policy violations) are kept so a test can assert the page ran cleanly.
/// </summary>
public sealed class CdpPage : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _receiving;
    private int _nextId;

    private CdpPage(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Console errors and warnings, uncaught exceptions, and error-level log entries, as text.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public static async Task<CdpPage> ConnectAsync(Uri webSocketUrl)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(webSocketUrl, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var page = new CdpPage(socket);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        await page.SendAsync("Log.enable");
        return page;
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (reply["error"] is { } error)
        {
            throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        }
        return reply["result"] ?? new JsonObject();
    }

    /// <summary>Runs an expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"`{expression}` threw: {exception.ToJsonString()}");
        }
        return result["result"]?["value"];
    }

    /// <summary>Polls an expression until it is true; fails with what the page showed and any problems it reported.</summary>
    public async Task WaitForAsync(string expression, TimeSpan deadline, string what)
    {
        // An expression that throws (the element is not there yet) counts as not yet true.
        string check = $"(() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }})()";
        await Eventually.Until(async () => await EvaluateAsync(check) is JsonValue v && v.GetValue<bool>(), deadline, async () =>
        {
            string body = (string?)await EvaluateAsync("document.body ? document.body.innerText : ''") ?? "";
            return $"{what}\n--- page text:\n{body}\n--- page problems:\n{string.Join('\n', Problems)}";
        });
    }

    public async Task NavigateAsync(string url)
    {
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is { } error)
        {
            throw new InvalidOperationException($"navigating to {url} failed: {error}");
        }
        await WaitForAsync("document.readyState === 'complete'", TimeSpan.FromSeconds(30), $"{url} loaded");
    }

    /// <summary>Types text into the focused element, as a keyboard would (input events fire).</summary>
    public Task TypeAsync(string text) => SendAsync("Input.insertText", new JsonObject { ["text"] = text });

    public async Task PressEnterAsync()
    {
        var key = new JsonObject { ["key"] = "Enter", ["code"] = "Enter", ["windowsVirtualKeyCode"] = 13, ["nativeVirtualKeyCode"] = 13 };
        var down = key.DeepClone().AsObject();
        down["type"] = "keyDown";
        down["text"] = "\r"; // the character is what submits the form
        var up = key.DeepClone().AsObject();
        up["type"] = "keyUp";
        await SendAsync("Input.dispatchKeyEvent", down);
        await SendAsync("Input.dispatchKeyEvent", up);
    }

    /// <summary>A real mouse click in the middle of the first element matching the selector.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync($$"""
            (() => { const e = document.querySelector({{JsonValue.Create(selector).ToJsonString()}});
                     if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
                     return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()
            """) ?? throw new InvalidOperationException($"nothing matches {selector}");
        foreach (string type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type, ["x"] = box["x"]!.GetValue<double>(), ["y"] = box["y"]!.GetValue<double>(),
                ["button"] = "left", ["clickCount"] = 1,
            });
        }
    }

    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)result["data"]!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }
            var json = JsonNode.Parse(message.ToArray().AsSpan())!;
            message.SetLength(0);
            if (json["id"] is { } id)
            {
                if (_pending.TryRemove(id.GetValue<int>(), out var answer))
                {
                    answer.SetResult(json);
                }
                continue;
            }
            Record((string?)json["method"], json["params"]);
        }
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(new WebSocketException("the DevTools connection closed"));
        }
    }

    private void Record(string? method, JsonNode? p)
    {
        string? level = method switch
        {
            "Runtime.consoleAPICalled" => p?["type"]?.GetValue<string>(),
            "Log.entryAdded" => p?["entry"]?["level"]?.GetValue<string>(),
            "Runtime.exceptionThrown" => "error",
            _ => null,
        };
        if (level is not ("error" or "warning" or "assert"))
        {
            return;
        }
        if (method == "Runtime.consoleAPICalled")
        {
            var args = p!["args"]!.AsArray().Select(a => (a?["value"] ?? a?["description"])?.ToString());
            Problems.Enqueue($"console.{level}: {string.Join(' ', args)}");
        }
        else if (method == "Log.entryAdded")
        {
            var entry = p!["entry"]!;
            Problems.Enqueue($"log {entry["source"]}: {entry["text"]} {entry["url"]}");
        }
        else
        {
            Problems.Enqueue($"exception: {p?["exceptionDetails"]?.ToJsonString()}");
        }
    }
}
