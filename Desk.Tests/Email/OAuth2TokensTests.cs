using System.Net;
using System.Text;
using Desk.Tests.Support;
using Desk.Web.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Email;

/// <summary>
/// When <see cref="OAuth2Tokens"/> keeps a token and when it asks the token endpoint again, on a test clock. The endpoint
/// here is an in-process HTTP handler that answers as RFC 6749 says; the real exchange with a server and Dovecot is
/// <see cref="OAuth2MailTests"/>.
/// </summary>
public sealed class OAuth2TokensTests
{
    private readonly FakeTimeProvider _clock = new(DeskWebFactory.Now);
    private readonly TokenEndpoint _endpoint = new();
    private readonly OAuth2Tokens _tokens;

    public OAuth2TokensTests() => _tokens = new OAuth2Tokens(new HttpClient(_endpoint), _clock, NullLogger<OAuth2Tokens>.Instance);

    private static OAuth2Options Settings(string? refreshToken = "refresh-1") => new()
    {
        TokenEndpoint = "https://login.example.test/token", ClientId = "desk", ClientSecret = "s3cret", RefreshToken = refreshToken,
        Scope = "https://outlook.office365.com/.default",
    };

    [Fact]
    public async Task GetAsync_WithinLifetime_KeepsTheToken()
    {
        var first = await _tokens.GetAsync(Settings(), default);
        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(first, await _tokens.GetAsync(Settings(), default));
        Assert.Single(_endpoint.Requests);
    }

    [Fact]
    public async Task GetAsync_FiveMinutesBeforeExpiry_FetchesANewOne()
    {
        var first = await _tokens.GetAsync(Settings(), default); // expires_in 3600

        _clock.Advance(TimeSpan.FromMinutes(55) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await _tokens.GetAsync(Settings(), default));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, await _tokens.GetAsync(Settings(), default));
        Assert.Equal(2, _endpoint.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_ShortLivedToken_RenewedAtHalfItsLifetime()
    {
        _endpoint.ExpiresIn = "60";
        var first = await _tokens.GetAsync(Settings(), default);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(first, await _tokens.GetAsync(Settings(), default));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, await _tokens.GetAsync(Settings(), default));
    }

    [Theory]
    [InlineData(null, 55)] // not said: an hour assumed
    [InlineData("\"7200\"", 115)] // quoted, as some endpoints send it
    public async Task GetAsync_ExpiresInMissingOrQuoted_KeptUntilFiveMinutesBeforeItsEnd(string? expiresIn, int renewedAfterMinutes)
    {
        _endpoint.ExpiresIn = expiresIn;
        var first = await _tokens.GetAsync(Settings(), default);

        _clock.Advance(TimeSpan.FromMinutes(renewedAfterMinutes) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await _tokens.GetAsync(Settings(), default));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, await _tokens.GetAsync(Settings(), default));
    }

    [Fact]
    public async Task GetAsync_WithRefreshToken_RefreshGrantAndARotatedRefreshTokenIsUsedNext()
    {
        _endpoint.RotateRefreshTokens = true;
        await _tokens.GetAsync(Settings(), default);
        _clock.Advance(TimeSpan.FromHours(1));
        await _tokens.GetAsync(Settings(), default);

        Assert.All(_endpoint.Requests, r => Assert.Equal("refresh_token", r["grant_type"]));
        Assert.Equal(["refresh-1", "rotated-1"], _endpoint.Requests.Select(r => r["refresh_token"]));
        Assert.Equal(("desk", "s3cret", "https://outlook.office365.com/.default"),
            (_endpoint.Requests[0]["client_id"], _endpoint.Requests[0]["client_secret"], _endpoint.Requests[0]["scope"]));
    }

    [Fact]
    public async Task GetAsync_WithoutRefreshToken_ClientCredentialsGrant()
    {
        await _tokens.GetAsync(Settings(refreshToken: null), default);

        var request = Assert.Single(_endpoint.Requests);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal("s3cret", request["client_secret"]);
        Assert.False(request.ContainsKey("refresh_token"));
    }

    [Fact]
    public async Task GetAsync_SameClientScopeAndRefreshToken_OneTokenShared_OtherRefreshTokenItsOwn()
    {
        var a = await _tokens.GetAsync(Settings(), default);
        var b = await _tokens.GetAsync(Settings(), default); // another mailbox's options object, same values
        var c = await _tokens.GetAsync(Settings(refreshToken: "refresh-2"), default);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(2, _endpoint.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_ManyCallersAtOnce_OneRequest()
    {
        _endpoint.Delay = TimeSpan.FromMilliseconds(100);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _tokens.GetAsync(Settings(), default)));

        Assert.Single(tokens.Distinct());
        Assert.Single(_endpoint.Requests);
    }

    [Fact]
    public async Task Reject_TheKeptToken_NextGetFetchesANewOne()
    {
        var first = await _tokens.GetAsync(Settings(), default);

        _tokens.Reject(Settings(), first);

        Assert.NotEqual(first, await _tokens.GetAsync(Settings(), default));
        Assert.Equal(2, _endpoint.Requests.Count);
    }

    [Fact]
    public async Task Reject_AnOlderToken_KeepsTheNewerOne()
    {
        var first = await _tokens.GetAsync(Settings(), default);
        _tokens.Reject(Settings(), first);
        var second = await _tokens.GetAsync(Settings(), default);

        _tokens.Reject(Settings(), first); // a late refusal of the old one, from another connection

        Assert.Equal(second, await _tokens.GetAsync(Settings(), default));
    }

    [Fact]
    public async Task GetAsync_EndpointRefuses_ThrowsNamingTheEndpointsErrorButNoSecret()
    {
        _endpoint.Refuse = (HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"AADSTS70008: The refresh token has expired."}""");

        var e = await Assert.ThrowsAsync<OAuth2TokenException>(() => _tokens.GetAsync(Settings(), default));

        Assert.Equal("OAuth2: the token endpoint https://login.example.test/token refused the refresh_token grant for client desk: "
            + "400 invalid_grant (AADSTS70008: The refresh token has expired.).", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.DoesNotContain("refresh-1", e.Message);
    }

    [Fact]
    public async Task GetAsync_EndpointAnswersHtml_ThrowsSayingSo()
    {
        _endpoint.Refuse = (HttpStatusCode.BadGateway, "<html>Bad gateway</html>");

        var e = await Assert.ThrowsAsync<OAuth2TokenException>(() => _tokens.GetAsync(Settings(), default));

        Assert.Contains("answered 502 Bad Gateway without JSON", e.Message);
    }

    [Fact]
    public async Task GetAsync_AfterARefusal_TriesTheEndpointAgainNextTime()
    {
        _endpoint.Refuse = (HttpStatusCode.ServiceUnavailable, """{"error":"temporarily_unavailable"}""");
        await Assert.ThrowsAsync<OAuth2TokenException>(() => _tokens.GetAsync(Settings(), default));
        _endpoint.Refuse = null;

        Assert.StartsWith("access-", await _tokens.GetAsync(Settings(), default));
    }

    [Theory]
    [InlineData(null, "desk", "s", null, "Desk:Mail:Mailboxes:0:OAuth2:TokenEndpoint must be the token endpoint's absolute http(s) URL.")]
    [InlineData("login.example.test/token", "desk", "s", null, "Desk:Mail:Mailboxes:0:OAuth2:TokenEndpoint must be the token endpoint's absolute http(s) URL.")]
    [InlineData("https://login.example.test/token", null, "s", null, "Desk:Mail:Mailboxes:0:OAuth2:ClientId is not set.")]
    [InlineData("https://login.example.test/token", "desk", null, null, "Desk:Mail:Mailboxes:0:OAuth2 needs a RefreshToken (refresh-token grant) or a ClientSecret (client-credentials grant); keep them in user secrets or environment variables.")]
    [InlineData("https://login.example.test/token", "desk", null, "r", null)] // a public client with a refresh token
    [InlineData("https://login.example.test/token", "desk", "s", null, null)] // client credentials
    public void Validation_OAuth2Section_NamesWhatIsMissing(string? endpoint, string? clientId, string? secret, string? refreshToken, string? expected)
    {
        var options = new MailOptions();
        options.Mailboxes.Add(new MailboxOptions { Host = "imap.example.test", User = "desk@example.test",
            OAuth2 = new() { TokenEndpoint = endpoint, ClientId = clientId, ClientSecret = secret, RefreshToken = refreshToken } });

        var result = new OAuth2SectionsValidation().Validate(null, options);

        Assert.Equal(expected, result.Failed ? Assert.Single(result.Failures!) : null);
    }

    [Fact]
    public void Validation_NoOAuth2Section_Passes()
    {
        var options = new MailOptions();
        options.Mailboxes.Add(new MailboxOptions { Host = "imap.example.test", User = "desk@example.test", Password = "pw" });

        Assert.True(new OAuth2SectionsValidation().Validate(null, options).Succeeded);
    }

    [Fact]
    public void DeskStart_IncompleteOAuth2Section_StopsWithTheSectionsPath()
    {
        using var desk = new IncompleteOAuth2Desk();

        var e = Assert.ThrowsAny<Exception>(() => desk.CreateClient());

        Assert.Contains("Desk:Mail:Mailboxes:0:OAuth2:ClientId is not set.", e.ToString());
    }

    private sealed class IncompleteOAuth2Desk : MailDesk
    {
        public override int DemoTickets => 0;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Host", "imap.example.test");
            builder.UseSetting("Desk:Mail:Mailboxes:0:User", "desk@example.test");
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:TokenEndpoint", "https://login.example.test/token");
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:RefreshToken", "r");
        }
    }

    /// <summary>A token endpoint in the process: records each request's form, answers a new token (or the refusal set).</summary>
    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _issued;
        private readonly List<Dictionary<string, string>> _requests = [];

        public IReadOnlyList<Dictionary<string, string>> Requests { get { lock (_requests) return [.. _requests]; } }
        /// <summary>The JSON of expires_in (a number or a quoted one); null leaves it out.</summary>
        public string? ExpiresIn { get; set; } = "3600";
        public bool RotateRefreshTokens { get; set; }
        public TimeSpan Delay { get; set; }
        public (HttpStatusCode Status, string Body)? Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
                .Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
            lock (_requests) _requests.Add(form);
            await Task.Delay(Delay, cancellationToken);
            if (Refuse is { } refusal) return Json(refusal.Status, refusal.Body);
            var n = Interlocked.Increment(ref _issued);
            var fields = new List<string> { $"\"access_token\":\"access-{n}\"", "\"token_type\":\"Bearer\"" };
            if (ExpiresIn is not null) fields.Add($"\"expires_in\":{ExpiresIn}");
            if (RotateRefreshTokens) fields.Add($"\"refresh_token\":\"rotated-{n}\"");
            return Json(HttpStatusCode.OK, "{" + string.Join(',', fields) + "}");
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "text/html") };
    }
}
