using System.Net;
using System.Net.Http.Headers;

namespace Desk.Tests.Cluster;

/// <summary>What became of one complaint: its status link's token, or why it failed; how many posts and form fetches it took.</summary>
public sealed record FiledComplaint(int Index, string? Token, int Posts, int FormFetches, string? Failure)
{
    public bool Filed => Token is not null;
}

/// <summary>
/// A customer at the public form, as a browser is: GET the form (its antiforgery cookie and every hidden input it
/// carries, the one-time submission token included, whatever it is called), POST it back with the cookies. A post that
/// fails with a connection error or a 502/503/504 is sent again, the very same form, through the load balancer (which
/// skips a dead desk), as a person presses Send again; any other answer is final.
/// </summary>
public sealed class ComplaintFiler(string balancerUrl) : IDisposable
{
    private const int MaxAttempts = 40;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    // No cookie jar: each complaint carries its own cookies, as its own browser would.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Files complaint <paramref name="index"/>: the form from <paramref name="formFrom"/>, posted to <paramref name="postTo"/> (first attempt).</summary>
    public async Task<FiledComplaint> FileAsync(int index, string formFrom, string postTo, IReadOnlyDictionary<string, string> fields)
    {
        var fetches = 0;
        Dictionary<string, string>? form = null;
        string cookies = "";
        string? failure = null;
        while (form is null)
        {
            fetches++;
            try
            {
                using var response = await _http.GetAsync((fetches == 1 ? formFrom : balancerUrl) + "/complain");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    form = HiddenInputs.Of(await response.Content.ReadAsStringAsync(), "/complain");
                    cookies = string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var set)
                        ? set.Select(c => c.Split(';', 2)[0]) : []);
                    break;
                }
                failure = $"form: {(int)response.StatusCode}";
                if (!Transient(response.StatusCode)) return new(index, null, 0, fetches, failure);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = $"form: {e.GetType().Name}";
            }
            if (fetches >= MaxAttempts) return new(index, null, 0, fetches, $"gave up fetching the form ({failure})");
            await Task.Delay(Pause);
        }

        foreach (var (key, value) in fields) form[key] = value;
        for (var posts = 1; posts <= MaxAttempts; posts++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, (posts == 1 ? postTo : balancerUrl) + "/complain")
                {
                    Content = new FormUrlEncodedContent(form),
                };
                if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
                using var response = await _http.SendAsync(request);
                var location = response.Headers.Location?.OriginalString ?? "";
                if (response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/status/", StringComparison.Ordinal))
                    return new(index, location["/status/".Length..].Split('?')[0], posts, fetches, null);
                failure = $"{(int)response.StatusCode}{(location.Length > 0 ? " → " + location : "")}";
                if (!Transient(response.StatusCode))
                    return new(index, null, posts, fetches, failure + Snippet(await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = e.GetType().Name;
            }
            await Task.Delay(Pause);
        }
        return new(index, null, MaxAttempts, fetches, $"gave up after {MaxAttempts} posts ({failure})");
    }

    public void Dispose() => _http.Dispose();

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The start of a refusal's text (a validation message, an error page's title), for the report.</summary>
    private static string Snippet(string body, MediaTypeHeaderValue? type)
    {
        if (body.Length == 0) return "";
        var text = type?.MediaType == "text/html"
            ? System.Text.RegularExpressions.Regex.Match(body, "<title>(.*?)</title>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value
            : body;
        text = text.Trim();
        return text.Length == 0 ? "" : $" ({(text.Length > 80 ? text[..80] + "…" : text)})";
    }
}
