using System.Diagnostics;
using System.Globalization;
using Desk.Tests.Support;
using Desk.Web.Email;
using Desk.Web.Email.Intake;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Utils;

namespace Desk.Tests.Email;

/// <summary>
/// OAuth2 sign-in against the real Dovecot of scripts/mailstack: the desk gets its access tokens from
/// <see cref="TestAuthorizationServer"/>'s token endpoint and signs in over IMAP with SASL XOAUTH2; Dovecot asks the same
/// server's introspection endpoint whether each token is good. The desk's mailbox password is one the desk never sees.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class OAuth2MailTests(MailStack stack) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private TestAuthorizationServer? _server;
    private string _mailbox = "";

    private TestAuthorizationServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        if (MailStack.SkipReason is not null) return;
        _mailbox = $"desk-oauth-{Guid.NewGuid():N}"[..24] + "@desk.test";
        await stack.AddUserAsync(_mailbox, "Password-the-desk-never-sees-" + Guid.NewGuid().ToString("N"));
        _server = await TestAuthorizationServer.StartAsync(_mailbox);
        await stack.UseOAuth2IntrospectionAsync(_server.IntrospectionUrl);
    }

    public async Task DisposeAsync()
    {
        if (_server is null) return;
        await stack.UseOAuth2IntrospectionAsync(null);
        await _server.DisposeAsync();
    }

    [MailStackFact]
    public async Task ImapIntake_OAuth2Section_SignsInWithXOAuth2AndTakesMailIn()
    {
        await using var desk = new OAuth2Desk(stack, _mailbox, Server.TokenUrl, TestAuthorizationServer.ClientSecret);
        desk.CreateClient(); // starts the desk and its poller

        var complaint = await SendComplaintAsync("The kettle leaks");

        var inbound = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == complaint.MessageId));
        Assert.Equal(InboundOutcome.Opened, inbound.Outcome);
        Assert.Equal(["refresh_token"], Server.Grants);
        Assert.True(Server.Introspections >= 1, "Dovecot never asked the introspection endpoint: the desk did not sign in with XOAUTH2.");
        var status = Status(desk);
        Assert.Equal((null, null), (status.LastError, status.LastFailureAt));
    }

    [MailStackFact]
    public async Task ImapIntake_TokenDeclaredInactiveByServer_FetchesANewOneAndSignsIn()
    {
        Server.IssueDeadTokens(1); // the first token the desk gets is one the server already considers expired
        await using var desk = new OAuth2Desk(stack, _mailbox, Server.TokenUrl, TestAuthorizationServer.ClientSecret);
        desk.CreateClient();

        var complaint = await SendComplaintAsync("The toaster burns everything");

        var inbound = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == complaint.MessageId));
        Assert.Equal(InboundOutcome.Opened, inbound.Outcome);
        Assert.Equal(["refresh_token", "refresh_token"], Server.Grants);
        Assert.Null(Status(desk).LastFailureAt); // the retry is inside one sign-in: the mailbox never failed
    }

    [MailStackFact]
    public async Task ImapIntake_WrongClientSecret_ReportsTheEndpointsRefusalAsTheMailboxsError()
    {
        await using var desk = new OAuth2Desk(stack, _mailbox, Server.TokenUrl, "not-the-secret");
        var client = desk.CreateClient();

        var status = await UntilAsync(() => StatusOrNull(desk) is { LastError: not null } s ? s : null);

        Assert.Contains("invalid_client", status.LastError);
        Assert.Contains(Server.TokenUrl, status.LastError);
        Assert.DoesNotContain("not-the-secret", status.LastError);
        Assert.Null(status.LastSuccessAt);
        Assert.Empty(Server.Grants);
        Assert.Equal(0, Server.Introspections); // no token, so nothing was sent to Dovecot
        Assert.True((await client.GetAsync("/healthz")).IsSuccessStatusCode, "The desk should keep running (the mailbox is not stale yet).");
    }

    [MailStackFact]
    public async Task ConnectAsync_KeptTokenRevokedThenExpired_NewTokenEachTimeAndSignsIn()
    {
        var clock = new FakeTimeProvider(DeskWebFactory.Now);
        using var http = new HttpClient();
        var tokens = new OAuth2Tokens(http, clock, NullLogger<OAuth2Tokens>.Instance);
        var mailbox = new MailboxOptions
        {
            Host = stack.Host, Port = stack.ImapPort, Security = MailSecurity.None, User = _mailbox,
            OAuth2 = new() { TokenEndpoint = Server.TokenUrl, ClientId = TestAuthorizationServer.ClientId, ClientSecret = TestAuthorizationServer.ClientSecret },
        };

        await SignInAsync(mailbox, tokens); // client credentials: the first token
        await SignInAsync(mailbox, tokens); // kept
        Assert.Equal(["client_credentials"], Server.Grants);
        Assert.Equal(2, Server.Introspections); // Dovecot checked it at each XOAUTH2 sign-in

        Server.Revoke(Server.Issued.Single());
        await SignInAsync(mailbox, tokens); // refused by Dovecot, dropped, a new one
        Assert.Equal(2, Server.Grants.Count);

        clock.Advance(TimeSpan.FromMinutes(55)); // 5 minutes before the second one expires
        var introspectionsBefore = Server.Introspections;
        await SignInAsync(mailbox, tokens);
        Assert.Equal(3, Server.Grants.Count);
        Assert.Equal(introspectionsBefore + 1, Server.Introspections); // renewed before use, not after a refusal
    }

    [MailStackFact]
    public async Task ConnectAsync_StaticAccessToken_SignsInWhileActiveAndIsRefusedOnceRevoked()
    {
        using var http = new HttpClient();
        var tokens = new OAuth2Tokens(http, TimeProvider.System, NullLogger<OAuth2Tokens>.Instance);
        var token = await tokens.GetAsync(new() { TokenEndpoint = Server.TokenUrl, ClientId = TestAuthorizationServer.ClientId, ClientSecret = TestAuthorizationServer.ClientSecret }, default);
        var mailbox = new MailboxOptions { Host = stack.Host, Port = stack.ImapPort, Security = MailSecurity.None, User = _mailbox, OAuth2AccessToken = token };

        await SignInAsync(mailbox, tokens);
        Server.Revoke(token);

        using var imap = new ImapClient();
        await Assert.ThrowsAsync<AuthenticationException>(() => ImapIntake.ConnectAsync(imap, mailbox, tokens, CancellationToken.None));
        Assert.Single(Server.Grants); // a fixed token is used as given: nothing is fetched for it
    }

    private static async Task SignInAsync(MailboxOptions mailbox, OAuth2Tokens tokens)
    {
        using var imap = new ImapClient();
        await ImapIntake.ConnectAsync(imap, mailbox, tokens, CancellationToken.None);
        Assert.True(imap.IsAuthenticated);
        await imap.DisconnectAsync(quit: true);
    }

    private async Task<MimeMessage> SendComplaintAsync(string subject)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Please help." }, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        message.From.Add(new MailboxAddress("Ana", "ana@customer.test"));
        message.To.Add(new MailboxAddress("Desk", _mailbox));
        await stack.SendAsync(message);
        return message;
    }

    private static MailStatus.SourceStatus Status(OAuth2Desk desk) => StatusOrNull(desk) ?? throw new InvalidOperationException("The mailbox has no status yet.");

    /// <summary>The mailbox's status, or null until its poller has started (it starts once it holds the mailbox's lease).</summary>
    private static MailStatus.SourceStatus? StatusOrNull(OAuth2Desk desk) =>
        desk.Services.GetRequiredService<MailStatus>().Sources.SingleOrDefault(s => s.Source == OAuth2Desk.MailboxName);

    private static Task<T> UntilAsync<T>(OAuth2Desk desk, Func<Desk.Web.Data.DeskDbContext, Task<T?>> query) where T : class =>
        UntilAsync(async () =>
        {
            await using var db = desk.Database.NewContext();
            return await query(db);
        });

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found) return found;
            if (clock.Elapsed > Wait) throw new TimeoutException($"Nothing after {Wait.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    private static Task<T> UntilAsync<T>(Func<T?> probe) where T : class => UntilAsync(() => Task.FromResult(probe()));

    /// <summary>The desk taking mail from the stack over IMAP, signing in with XOAUTH2 and the OAuth2 section only (no password).</summary>
    private sealed class OAuth2Desk(MailStack stack, string address, string tokenUrl, string clientSecret) : MailDesk
    {
        public const string MailboxName = "oauth2-desk";

        public override int DemoTickets => 30;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Mail:Address", address);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Name", MailboxName);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Host", stack.Host);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Port", stack.ImapPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Desk:Mail:Mailboxes:0:Security", "None");
            builder.UseSetting("Desk:Mail:Mailboxes:0:User", address);
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:TokenEndpoint", tokenUrl);
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:ClientId", TestAuthorizationServer.ClientId);
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:ClientSecret", clientSecret);
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:RefreshToken", TestAuthorizationServer.RefreshToken);
            builder.UseSetting("Desk:Mail:Mailboxes:0:OAuth2:Scope", "imap");
        }
    }
}
