using System.Diagnostics;
using System.Net.Sockets;
using Desk.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace Desk.Tests.Email;

/// <summary>
/// The mail stack itself, so that a desk test failing against it points at the desk: what it delivers,
/// pushes, refuses and how it behaves with SMTP down. Every test makes its own mailboxes.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class MailStackTests(MailStack stack)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(5);

    [MailStackFact]
    public async Task Send_ToKnownUser_ArrivesInInboxWithItsMessageId()
    {
        var (desk, ana) = await TwoMailboxesAsync();
        var mail = Mail(ana, desk, "Stove knob");

        await stack.SendAsync(mail);

        var arrived = await stack.WaitForMessageAsync(desk, Password, m => m.MessageId == mail.MessageId, Delivery);
        Assert.Equal(("Stove knob", ana), (arrived.Subject, arrived.From.Mailboxes.Single().Address));
        Assert.Equal([mail.MessageId], (await stack.FetchAllAsync(desk, Password)).Select(m => m.MessageId));
    }

    [MailStackFact]
    public async Task Idle_NewMail_IsPushedWithinSeconds()
    {
        var (desk, ana) = await TwoMailboxesAsync();
        using var imap = await stack.ConnectImapAsync(desk, Password);
        Assert.True(imap.Capabilities.HasFlag(ImapCapabilities.Idle));
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var pushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        imap.Inbox.CountChanged += (_, _) => pushed.TrySetResult();
        using var done = new CancellationTokenSource();
        var idle = imap.IdleAsync(done.Token);
        var clock = Stopwatch.StartNew();

        await stack.SendAsync(Mail(ana, desk, "Pushed"));

        await pushed.Task.WaitAsync(Delivery);
        Assert.True(clock.Elapsed < Delivery, $"IDLE pushed the new mail after {clock.Elapsed}");
        await done.CancelAsync();
        await idle;
        Assert.Equal(1, imap.Inbox.Count);
    }

    [MailStackFact]
    public async Task Login_WrongPassword_IsRefusedAndTheRightOneWorksAtOnce()
    {
        var (desk, _) = await TwoMailboxesAsync();

        await Assert.ThrowsAsync<AuthenticationException>(() => stack.ConnectImapAsync(desk, "wrong"));
        await Assert.ThrowsAsync<AuthenticationException>(() => stack.ConnectSmtpAsync(desk, "wrong"));

        // Dovecot's failure delay and per-IP penalty are off: a test trying a bad password slows no later login.
        var clock = Stopwatch.StartNew();
        using var imap = await stack.ConnectImapAsync(desk, Password);
        Assert.True(imap.IsAuthenticated);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"login after a failed one took {clock.Elapsed}");
    }

    [MailStackTheory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task SmtpAuth_MailboxPassword_SignsInAndSends(string mechanism)
    {
        var (desk, ana) = await TwoMailboxesAsync();
        using var smtp = await stack.ConnectSmtpAsync();
        var credentials = new System.Net.NetworkCredential(desk, Password);

        await smtp.AuthenticateAsync(mechanism == "PLAIN" ? new SaslMechanismPlain(credentials) : new SaslMechanismLogin(credentials));
        var mail = Mail(desk, ana, $"Signed in with {mechanism}");
        await smtp.SendAsync(mail);

        Assert.True(smtp.IsAuthenticated);
        await stack.WaitForMessageAsync(ana, Password, m => m.MessageId == mail.MessageId, Delivery);
    }

    [MailStackTheory]
    [InlineData(false, "nobody@customer.test")] // a local domain, no such mailbox
    [InlineData(false, "someone@example.com")] // not ours: would be relaying
    [InlineData(true, "someone@example.com")] // signing in does not make it relay either
    public async Task Send_ToUnknownOrOutsideRecipient_IsRefusedAtRcpt(bool signedIn, string recipient)
    {
        var (desk, _) = await TwoMailboxesAsync();
        using var smtp = signedIn ? await stack.ConnectSmtpAsync(desk, Password) : await stack.ConnectSmtpAsync();

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(Mail(desk, recipient, "Anyone there?")));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, recipient),
            (refused.ErrorCode, refused.StatusCode, refused.Mailbox?.Address));
    }

    [MailStackFact]
    public async Task Send_WhileSmtpIsStopped_FailsAndWorksOnceItIsBack()
    {
        var (desk, ana) = await TwoMailboxesAsync();
        var mail = Mail(ana, desk, "After the outage");

        await stack.StopSmtpAsync();
        try
        {
            await Assert.ThrowsAsync<SocketException>(() => stack.SendAsync(mail));
        }
        finally
        {
            await stack.StartSmtpAsync();
        }
        await stack.SendAsync(mail);

        await stack.WaitForMessageAsync(desk, Password, m => m.MessageId == mail.MessageId, Delivery);
    }

    [MailStackTheory]
    [InlineData("imap", SecureSocketOptions.StartTls)]
    [InlineData("imap", SecureSocketOptions.SslOnConnect)]
    [InlineData("smtp", SecureSocketOptions.StartTls)]
    [InlineData("smtp", SecureSocketOptions.SslOnConnect)]
    public async Task Tls_StackCertificate_SecuresTheLogin(string protocol, SecureSocketOptions security)
    {
        var (desk, _) = await TwoMailboxesAsync();

        using MailService client = protocol == "imap"
            ? await stack.ConnectImapAsync(desk, Password, security)
            : (MailService)await stack.ConnectSmtpAsync(desk, Password, security);

        Assert.True(client.IsSecure && client.IsAuthenticated);
    }

    [MailStackFact]
    public async Task Tls_DefaultValidation_RefusesTheSelfSignedCertificate()
    {
        // The acceptance above comes from the stack's callback, not from a lax client.
        using var imap = new ImapClient { CheckCertificateRevocation = false, Timeout = 10_000 };

        await Assert.ThrowsAsync<SslHandshakeException>(() => imap.ConnectAsync(stack.Host, stack.ImapsPort, SecureSocketOptions.SslOnConnect));
    }

    [MailStackFact]
    public async Task Login_NewMailbox_HasSpecialUseFolders()
    {
        var (desk, _) = await TwoMailboxesAsync();
        using var imap = await stack.ConnectImapAsync(desk, Password);

        Assert.True(imap.Capabilities.HasFlag(ImapCapabilities.SpecialUse));
        Assert.Equal(["Archive", "Drafts", "Junk", "Sent", "Trash"],
            new[] { SpecialFolder.Archive, SpecialFolder.Drafts, SpecialFolder.Junk, SpecialFolder.Sent, SpecialFolder.Trash }
                .Select(special => imap.GetFolder(special)?.Name));
    }

    [MailStackFact]
    public async Task Restart_KeepsMailboxesAndUidValidity()
    {
        var (desk, ana) = await TwoMailboxesAsync();
        var mail = Mail(ana, desk, "Still here");
        await stack.SendAsync(mail);
        await stack.WaitForMessageAsync(desk, Password, m => m.MessageId == mail.MessageId, Delivery);
        var before = await UidValidityAsync(desk);

        await stack.RestartAsync();

        Assert.Equal(before, await UidValidityAsync(desk));
        Assert.Equal([mail.MessageId], (await stack.FetchAllAsync(desk, Password)).Select(m => m.MessageId));
    }

    private const string Password = "s3cret pass";

    /// <summary>A desk mailbox and a customer's, both new, made in one step (one wait for Dovecot).</summary>
    private async Task<(string Desk, string Customer)> TwoMailboxesAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var mailboxes = ($"desk-{id}@desk.test", $"ana-{id}@customer.test");
        await stack.AddUsersAsync((mailboxes.Item1, Password), (mailboxes.Item2, Password));
        return mailboxes;
    }

    private async Task<uint> UidValidityAsync(string address)
    {
        using var imap = await stack.ConnectImapAsync(address, Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        return imap.Inbox.UidValidity;
    }

    private static MimeMessage Mail(string from, string to, string subject)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Hello from the mail stack tests." } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.MessageId = MimeUtils.GenerateMessageId("mailstack.test");
        return message;
    }
}
