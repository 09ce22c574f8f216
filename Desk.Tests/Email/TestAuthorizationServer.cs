using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Desk.Tests.Email;

/// <summary>
/// A small OAuth 2.0 authorization server on 127.0.0.1 (real Kestrel, a free port) for one mailbox: its token endpoint
/// (<see cref="TokenUrl"/>, RFC 6749: refresh-token and client-credentials grants, client_secret_post) issues access
/// tokens for <see cref="Mailbox"/>, and its introspection endpoint (<see cref="IntrospectionUrl"/>, RFC 7662) is what
/// Dovecot asks about each token. Tests revoke tokens, or have the next ones issued already dead, to see the desk cope.
/// </summary>
public sealed class TestAuthorizationServer : IAsyncDisposable
{
    public const string ClientId = "desk-test-client";
    public const string ClientSecret = "desk-test-secret";
    public const string RefreshToken = "desk-test-refresh";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _tokens = new(); // access token → active
    private readonly ConcurrentQueue<string> _grants = new();
    private int _issued;
    private int _deadOnArrival;
    private int _introspections;

    private TestAuthorizationServer(WebApplication app, string mailbox)
    {
        _app = app;
        Mailbox = mailbox;
    }

    /// <summary>The address every token is issued for: what introspection answers as the token's username.</summary>
    public string Mailbox { get; }

    /// <summary>Lifetime given in expires_in.</summary>
    public int ExpiresInSeconds { get; set; } = 3600;

    public string BaseUrl { get; private set; } = "";
    public string TokenUrl => BaseUrl + "/token";
    public string IntrospectionUrl => BaseUrl + "/introspect";

    /// <summary>The grant_type of each token request that was answered with a token, in order.</summary>
    public IReadOnlyList<string> Grants => [.. _grants];

    /// <summary>Every access token issued so far, in order.</summary>
    public IReadOnlyList<string> Issued => [.. _tokens.Keys.OrderBy(t => int.Parse(t.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture))];

    public int Introspections => Volatile.Read(ref _introspections);

    public static async Task<TestAuthorizationServer> StartAsync(string mailbox)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestAuthorizationServer(app, mailbox);
        app.MapPost("/token", server.TokenAsync);
        app.MapPost("/introspect", server.IntrospectAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.Single().TrimEnd('/');
        return server;
    }

    /// <summary>The next <paramref name="count"/> tokens are issued already inactive, as a token the server thinks expired.</summary>
    public void IssueDeadTokens(int count) => Interlocked.Exchange(ref _deadOnArrival, count);

    /// <summary>Introspection answers <c>"active": false</c> for it from now on.</summary>
    public void Revoke(string accessToken) => _tokens[accessToken] = false;

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        string grant = form["grant_type"].ToString(), client = form["client_id"].ToString(), secret = form["client_secret"].ToString();
        if (client != ClientId || secret != ClientSecret)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client", "The client secret is not the one registered for this client.");
            return;
        }
        if (grant == "refresh_token" && form["refresh_token"] != RefreshToken)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is unknown or expired.");
            return;
        }
        if (grant is not ("refresh_token" or "client_credentials"))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", grant);
            return;
        }
        var token = $"access-{Interlocked.Increment(ref _issued)}";
        var dead = Interlocked.Decrement(ref _deadOnArrival) >= 0;
        if (!dead) Interlocked.Exchange(ref _deadOnArrival, 0);
        _tokens[token] = !dead;
        _grants.Enqueue(grant);
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresInSeconds,
            ["scope"] = form["scope"].ToString(),
        });
    }

    private async Task IntrospectAsync(HttpContext context)
    {
        Interlocked.Increment(ref _introspections);
        var form = await context.Request.ReadFormAsync();
        var active = _tokens.TryGetValue(form["token"].ToString(), out var known) && known;
        await context.Response.WriteAsJsonAsync(active
            ? new Dictionary<string, object> { ["active"] = true, ["username"] = Mailbox, ["client_id"] = ClientId, ["token_type"] = "Bearer" }
            : new Dictionary<string, object> { ["active"] = false });
    }

    private static async Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["error"] = error, ["error_description"] = description });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
