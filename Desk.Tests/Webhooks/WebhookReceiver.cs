using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Desk.Tests.Webhooks;

/// <summary>One request a <see cref="WebhookReceiver"/> took (answered 2xx).</summary>
public sealed record ReceivedEvent(string Event, string Delivery, string Signature, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string Ticket => Json.GetProperty("ticket").GetProperty("number").GetString()!;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (HttpListener): it answers what <see cref="Status"/> says, keeps what it took, and can
/// be stopped (the port then refuses connections) and started again on the same port.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private HttpListener? _listener;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/desk";

    /// <summary>The status the receiver answers with (2xx: taken and kept).</summary>
    public int Status { get; set; } = 204;

    public ConcurrentQueue<ReceivedEvent> Taken { get; } = new();

    /// <summary>Every request, taken or refused.</summary>
    public int Requests => _requests;
    private int _requests;

    public WebhookReceiver Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => ServeAsync(listener));
        return this;
    }

    /// <summary>Down: nothing listens on the port any more.</summary>
    public void Stop()
    {
        _listener?.Close();
        _listener = null;
    }

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = Status;
            if (status is >= 200 and < 300)
                Taken.Enqueue(new(context.Request.Headers["Desk-Event"] ?? "", context.Request.Headers["Desk-Delivery"] ?? "",
                    context.Request.Headers["Desk-Signature"] ?? "", body));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose() => Stop();
}
