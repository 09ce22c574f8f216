namespace Desk.Bench;

/// <summary>
/// Open queue tabs while the pages are loaded: each holds the desk's event stream (<c>GET /live</c>) as a browser tab
/// does, reading whatever it is sent, so the pages are measured "with live updates on" — the desk's feed running and
/// its streams open — as issue 19 asks. Disposing closes them.
/// </summary>
public sealed class LiveListeners : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _streams = [];
    private readonly HttpClient _http;
    private int _opened;

    private LiveListeners(string baseUrl, string cookie)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Add("Cookie", cookie);
    }

    /// <summary>How many streams the desk answered with 200 and an event stream.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Opens <paramref name="count"/> streams and waits (up to 10 s) until the desk has answered each.</summary>
    public static async Task<LiveListeners> OpenAsync(string baseUrl, string cookie, int count)
    {
        var listeners = new LiveListeners(baseUrl, cookie);
        for (var i = 0; i < count; i++) listeners._streams.Add(listeners.ListenAsync());
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (listeners.Opened < count && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        return listeners;
    }

    private async Task ListenAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/live", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream") return;
            Interlocked.Increment(ref _opened);
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, _stop.Token) > 0) { } // the desk closes a stream after 5 minutes: a tab reopens it, the bench need not
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_streams);
        _http.Dispose();
        _stop.Dispose();
    }
}
