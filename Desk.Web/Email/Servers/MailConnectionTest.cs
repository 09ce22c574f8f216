using System.Net.Sockets;
using Desk.Web.Email.Outbound;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Desk.Web.Email.Servers;

/// <summary>Where a connection test stopped: the step that failed, or <see cref="Ok"/>.</summary>
public enum ConnectionStep
{
    Ok,
    /// <summary>The host name has no address.</summary>
    Dns,
    /// <summary>Nothing accepted the connection (refused, unreachable).</summary>
    Connect,
    /// <summary>No answer in time.</summary>
    Timeout,
    /// <summary>The secure connection failed (certificate, protocol).</summary>
    Tls,
    /// <summary>No OAuth2 access token from the token endpoint.</summary>
    Token,
    /// <summary>The server refused the credentials.</summary>
    Authentication,
    /// <summary>Signed in, but the folder could not be opened.</summary>
    Folder,
    /// <summary>The server answered something the desk did not expect.</summary>
    Protocol,
}

/// <summary>
/// What a connection test found: the step it stopped at and, for a failure, the server's or the system's own short words
/// (never a stack trace).
/// </summary>
public sealed record ConnectionResult(ConnectionStep Step, string? Detail = null)
{
    public bool Succeeded => Step == ConnectionStep.Ok;
}

/// <summary>
/// Tries a mail server as the poller or the sender would use it, step by step, and says which step failed: name lookup,
/// connection, TLS, (OAuth2 token,) sign-in, and for IMAP opening the folder; for SMTP the greeting (EHLO) comes with the
/// connection. Nothing is read, sent or changed on the server.
/// </summary>
public sealed class MailConnectionTest(OAuth2Tokens tokens)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public async Task<ConnectionResult> ImapAsync(MailboxOptions mailbox, CancellationToken ct)
    {
        using var client = new ImapClient { Timeout = (int)Limit.TotalMilliseconds };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit);
        var step = ConnectionStep.Connect;
        try
        {
            await client.ConnectAsync(mailbox.Host, mailbox.Port, MailSender.SocketOptions(mailbox.Security), limit.Token);
            step = ConnectionStep.Authentication;
            if (mailbox.OAuth2.IsConfigured) await tokens.AuthenticateAsync(client, mailbox.User, mailbox.OAuth2, limit.Token);
            else await client.AuthenticateAsync(mailbox.User, mailbox.Password ?? "", limit.Token);
            step = ConnectionStep.Folder;
            var folder = await client.GetFolderAsync(mailbox.Folder, limit.Token);
            await folder.OpenAsync(FolderAccess.ReadOnly, limit.Token);
            if (mailbox.DoneFolder is { Length: > 0 } done) await client.GetFolderAsync(done, limit.Token);
            await client.DisconnectAsync(true, limit.Token);
            return new ConnectionResult(ConnectionStep.Ok);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return Failure(e, step);
        }
    }

    public async Task<ConnectionResult> SmtpAsync(SmtpOptions smtp, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)Limit.TotalMilliseconds };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit);
        var step = ConnectionStep.Connect;
        try
        {
            await client.ConnectAsync(smtp.Host ?? "", smtp.Port, MailSender.SocketOptions(smtp.Security), limit.Token); // EHLO included
            step = ConnectionStep.Authentication;
            if (smtp.OAuth2.IsConfigured) await tokens.AuthenticateAsync(client, smtp.User ?? "", smtp.OAuth2, limit.Token);
            else if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", limit.Token);
            await client.DisconnectAsync(true, limit.Token);
            return new ConnectionResult(ConnectionStep.Ok);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return Failure(e, step);
        }
    }

    /// <summary>The failed step from the exception's kind (and the step reached when the kind says nothing more).</summary>
    private static ConnectionResult Failure(Exception e, ConnectionStep reached) => e switch
    {
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => new(ConnectionStep.Dns),
        SocketException { SocketErrorCode: SocketError.TimedOut } => new(ConnectionStep.Timeout),
        SocketException s => new(ConnectionStep.Connect, s.Message),
        OperationCanceledException or TimeoutException => new(ConnectionStep.Timeout),
        SslHandshakeException ssl => new(ConnectionStep.Tls, Short(ssl.InnerException?.Message ?? FirstLine(ssl.Message))),
        OAuth2TokenException token => new(ConnectionStep.Token, Short(token.Message)),
        AuthenticationException auth => new(ConnectionStep.Authentication, Short(auth.Message)),
        FolderNotFoundException => new(ConnectionStep.Folder),
        ImapCommandException imap when reached == ConnectionStep.Folder => new(ConnectionStep.Folder, Short(imap.ResponseText)),
        SmtpCommandException smtp when reached == ConnectionStep.Authentication && (int)smtp.StatusCode is 535 or 534 or 530 =>
            new(ConnectionStep.Authentication, Short(smtp.Message)),
        NotSupportedException when reached == ConnectionStep.Authentication => new(ConnectionStep.Authentication, Short(e.Message)),
        _ => new(ConnectionStep.Protocol, Short(FirstLine(e.Message))),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Short(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
