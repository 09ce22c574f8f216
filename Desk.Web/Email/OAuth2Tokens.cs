using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using MailKit;
using MailKit.Security;

namespace Desk.Web.Email;

/// <summary>
/// OAuth 2.0 access tokens for signing in to mail servers (SASL XOAUTH2). A token comes from the token endpoint of
/// <see cref="OAuth2Options"/> (refresh-token grant, else client credentials), is kept until shortly before it expires,
/// then replaced. A server that rejects a kept token (revoked, or expired early) gets one fresh token and one more try.
/// One instance serves the whole process: mailboxes with the same client, scope and refresh token share their token.
/// </summary>
public sealed class OAuth2Tokens(HttpClient http, TimeProvider clock, ILogger<OAuth2Tokens> log)
{
    /// <summary>A token is replaced this long before it expires (half its lifetime for short-lived ones): never sent stale.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    /// <summary>How long a token is kept when the endpoint does not say (expires_in is only RECOMMENDED by RFC 6749).</summary>
    public static readonly TimeSpan AssumedLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Key, Entry> _tokens = new();
    private readonly SemaphoreSlim _fetching = new(1, 1);

    private readonly record struct Key(string Endpoint, string ClientId, string Scope, string RefreshToken);

    /// <summary>A kept token; <paramref name="RefreshToken"/> is the latest one the endpoint handed out (it may rotate them).</summary>
    private sealed record Entry(string AccessToken, DateTimeOffset RenewAt, string? RefreshToken);

    /// <summary>The HttpClient for the process-wide instance: connections renewed every few minutes, so DNS changes are seen.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A usable access token: the kept one while it is fresh, else a new one from the token endpoint.</summary>
    /// <exception cref="OAuth2TokenException">The endpoint could not be reached or refused the grant (its error named).</exception>
    public async Task<string> GetAsync(OAuth2Options settings, CancellationToken ct)
    {
        var key = KeyOf(settings);
        if (Fresh(key) is { } kept) return kept;
        await _fetching.WaitAsync(ct);
        try
        {
            if (Fresh(key) is { } fetchedMeanwhile) return fetchedMeanwhile;
            var refreshToken = _tokens.TryGetValue(key, out var old) ? old.RefreshToken : settings.RefreshToken;
            var entry = await FetchAsync(settings, refreshToken, ct);
            _tokens[key] = entry;
            return entry.AccessToken;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="accessToken"/> after a server refused it: the next <see cref="GetAsync"/> fetches a new one.
    /// A newer token fetched meanwhile is kept; a rotated refresh token is kept either way.
    /// </summary>
    public void Reject(OAuth2Options settings, string accessToken)
    {
        var key = KeyOf(settings);
        if (_tokens.TryGetValue(key, out var entry) && entry.AccessToken == accessToken)
            _tokens.TryUpdate(key, entry with { RenewAt = DateTimeOffset.MinValue }, entry);
    }

    /// <summary>
    /// Signs <paramref name="client"/> in as <paramref name="user"/> with SASL XOAUTH2. When the server refuses the token it
    /// is forgotten and a new one tried once; a second refusal is the server's answer (an <see cref="AuthenticationException"/>).
    /// </summary>
    public async Task AuthenticateAsync(IMailService client, string user, OAuth2Options settings, CancellationToken ct)
    {
        var token = await GetAsync(settings, ct);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(user, token), ct);
        }
        catch (AuthenticationException e)
        {
            log.LogInformation("OAuth2: the server refused the access token for {User} ({Error}); trying once more with a new one.", user, e.Message);
            Reject(settings, token);
            var fresh = await GetAsync(settings, ct);
            await client.AuthenticateAsync(new SaslMechanismOAuth2(user, fresh), ct);
        }
    }

    private string? Fresh(Key key) =>
        _tokens.TryGetValue(key, out var entry) && clock.GetUtcNow() < entry.RenewAt ? entry.AccessToken : null;

    private static Key KeyOf(OAuth2Options settings) =>
        new(settings.TokenEndpoint ?? "", settings.ClientId ?? "", settings.Scope ?? "", settings.RefreshToken ?? "");

    private async Task<Entry> FetchAsync(OAuth2Options settings, string? refreshToken, CancellationToken ct)
    {
        var grant = settings.UsesRefreshToken ? "refresh_token" : "client_credentials";
        var form = new List<KeyValuePair<string, string>> { new("grant_type", grant), new("client_id", settings.ClientId ?? "") };
        if (!string.IsNullOrEmpty(settings.ClientSecret)) form.Add(new("client_secret", settings.ClientSecret));
        if (settings.UsesRefreshToken) form.Add(new("refresh_token", refreshToken ?? ""));
        if (!string.IsNullOrWhiteSpace(settings.Scope)) form.Add(new("scope", settings.Scope));
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var requestedAt = clock.GetUtcNow();
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, ct);
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new OAuth2TokenException($"OAuth2: the token endpoint {settings.TokenEndpoint} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                throw new OAuth2TokenException($"OAuth2: the token endpoint {settings.TokenEndpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} without JSON ({grant} grant).");
            }
            using var _ = document;
            var json = document.RootElement;
            if (!response.IsSuccessStatusCode || json.ValueKind != JsonValueKind.Object || Text(json, "access_token") is not { Length: > 0 } accessToken)
            {
                // RFC 6749 5.2: error (invalid_client, invalid_grant, …) and error_description, which names the cause.
                var error = json.ValueKind == JsonValueKind.Object ? Text(json, "error") : null;
                var description = json.ValueKind == JsonValueKind.Object ? Text(json, "error_description") : null;
                throw new OAuth2TokenException($"OAuth2: the token endpoint {settings.TokenEndpoint} refused the {grant} grant for client {settings.ClientId}: "
                    + $"{(int)response.StatusCode} {error ?? "no access_token"}{(description is null ? "" : $" ({description})")}.");
            }
            var lifetime = Seconds(json, "expires_in") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : AssumedLifetime;
            var renewBefore = lifetime / 2 < RenewBefore ? lifetime / 2 : RenewBefore;
            var rotated = Text(json, "refresh_token");
            log.LogInformation("OAuth2: new access token from {Endpoint} for client {ClientId} ({Grant} grant), valid for {Seconds:0} s{Rotated}.",
                settings.TokenEndpoint, settings.ClientId, grant, lifetime.TotalSeconds, rotated is null ? "" : ", with a new refresh token");
            // From the request, not the answer: a slow answer must not make the token seem to live longer than it does.
            return new Entry(accessToken, requestedAt + lifetime - renewBefore, rotated ?? refreshToken);
        }
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>expires_in as a number, or as a string (some endpoints quote it).</summary>
    private static double? Seconds(JsonElement json, string name) =>
        !json.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;
}

/// <summary>No access token: the token endpoint could not be reached or refused the grant; the message says which and why.</summary>
public sealed class OAuth2TokenException(string message, Exception? inner = null) : Exception(message, inner);
