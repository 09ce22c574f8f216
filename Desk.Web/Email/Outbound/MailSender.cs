using Desk.Web.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Desk.Web.Email.Outbound;

/// <summary>
/// Sends the outbox: every queued mail whose time has come, through the SMTP server when one is configured, else into the
/// pickup folder as .eml files. Every desk on the database sends, each a batch it claimed (<see cref="OutboundMail.Claimed"/>):
/// at least once, never by two desks at the same time unless one died mid-batch. A failure is retried with back-off and, after too many, the mail is dead (admins see it
/// and can send it again); one bad mail never holds up the others.
/// </summary>
public sealed class MailSender(IServiceScopeFactory scopes, IOptions<MailOptions> options, OutboxSignal signal, TimeProvider clock,
    IHostEnvironment environment, OAuth2Tokens tokens, ILogger<MailSender> log) : BackgroundService
{
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The outbox could not be read; trying again shortly.");
            }
            if (sent < Batch) await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Sends one batch of due mail; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        List<OutboundMail> due;
        // Claimed in a short transaction of its own: several desks' senders each take a different batch (PostgreSQL skips
        // the rows another sender holds; SQLite's write gate lets one look at a time).
        await using (var claim = await db.BeginWriteAsync(ct))
        {
            due = await db.OutboundMails.FromSqlRaw(OutboxSql.Due(db.Provider), StoredValues.UnixMilliseconds(now), Batch).ToListAsync(ct);
            if (due.Count == 0) return 0;
            foreach (var mail in due) mail.Claimed(now.AddSeconds(settings.SendClaimSeconds));
            await db.SaveChangesAsync(ct);
            await claim.CommitAsync(ct);
        }

        // The page's SMTP server, else the settings file's: read for every batch, so a change on any desk counts at once.
        var server = await scope.ServiceProvider.GetRequiredService<Servers.MailServers>().SmtpAsync(ct);
        using var smtp = server.IsConfigured ? new SmtpClient() : null;
        string? connectError = null;
        if (smtp is not null)
        {
            try
            {
                await ConnectAsync(smtp, server, tokens, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                connectError = $"The SMTP server {server.Host}:{server.Port} could not be reached: {e.Message}";
            }
        }

        // An agent's reply carries the files saved with it (read now, not kept in the outbox row twice).
        var entries = due.Where(m => m.ConversationEntryId is not null).Select(m => m.ConversationEntryId!.Value).ToList();
        var files = entries.Count == 0 ? null : (await db.Attachments.AsNoTracking().Where(a => entries.Contains(a.ConversationEntryId)).OrderBy(a => a.Id)
            .ToListAsync(ct)).ToLookup(a => a.ConversationEntryId);
        foreach (var mail in due)
        {
            try
            {
                if (connectError is not null) throw new IOException(connectError);
                var message = Build(mail, settings, mail.ConversationEntryId is { } entry && files is not null ? files[entry].ToList() : null);
                if (smtp is not null) await smtp.SendAsync(message, ct);
                else await WritePickupAsync(message, mail, settings, ct);
                mail.Sent(clock.GetUtcNow().UtcDateTime);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                mail.Failed(clock.GetUtcNow().UtcDateTime, e.Message, settings.MaxSendAttempts);
                log.LogWarning("Mail {Id} to {To} failed (attempt {Attempts}): {Error}", mail.Id, mail.To, mail.Attempts, e.Message);
                if (smtp is { IsConnected: false } && connectError is null) connectError = e.Message;
            }
            await db.SaveChangesAsync(ct); // each mail's state as soon as it is known: a crash sends at most this one twice
        }
        if (smtp is { IsConnected: true }) await smtp.DisconnectAsync(true, ct);
        return due.Count;
    }

    /// <summary>The MIME message for an outbox row: the same row always gives the same Message-ID and threading headers.</summary>
    /// <param name="attachments">The files of the reply the mail carries, if any.</param>
    public static MimeMessage Build(OutboundMail mail, MailOptions settings, IReadOnlyList<Features.Attachments.Attachment>? attachments = null)
    {
        var message = new MimeMessage
        {
            MessageId = mail.MessageId,
            Subject = mail.Subject,
            Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedAt, DateTimeKind.Utc)),
            Body = Body(mail, attachments ?? []),
        };
        message.From.Add(new MailboxAddress(settings.DisplayName, settings.Address));
        message.To.Add(new MailboxAddress(mail.ToName, mail.To));
        if (mail.InReplyTo is { } inReplyTo) message.InReplyTo = inReplyTo;
        if (mail.References is { } references)
            foreach (var id in references.Split(' ', StringSplitOptions.RemoveEmptyEntries)) message.References.Add(id);
        if (mail.IsAutoReply)
        {
            message.Headers.Add("Auto-Submitted", "auto-replied"); // RFC 3834: robots must not answer it
            message.Headers.Add("X-Auto-Response-Suppress", "All"); // Exchange: no out-of-office replies to it
        }
        if (mail.Kind is OutboundKind.AgentNotice or OutboundKind.ReportDigest) message.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: a notice, not a conversation
        if (mail.TicketId is { } ticketId) message.Headers.Add("X-Desk-Ticket", Desk.Domain.Tickets.TicketNumber.Format(ticketId));
        return message;
    }

    /// <summary>Plain text; with an HTML part, multipart/alternative (plain first); with files, all that inside multipart/mixed.</summary>
    private static MimeEntity Body(OutboundMail mail, IReadOnlyList<Features.Attachments.Attachment> attachments)
    {
        MimeEntity text = new TextPart("plain") { Text = mail.Body };
        if (mail.HtmlBody is { } html)
            text = new MultipartAlternative { text, new TextPart("html") { Text = html } };
        if (attachments.Count == 0) return text;
        var mixed = new Multipart("mixed") { text };
        foreach (var file in attachments)
            mixed.Add(new MimePart(ContentType.Parse(file.ContentType))
            {
                Content = new MimeContent(new MemoryStream(file.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = Features.Attachments.AttachmentRules.ShownName(file.FileName),
            });
        return mixed;
    }

    private async Task WritePickupAsync(MimeMessage message, OutboundMail mail, MailOptions settings, CancellationToken ct)
    {
        var folder = Path.Combine(environment.ContentRootPath, settings.PickupFolder);
        Directory.CreateDirectory(folder);
        var name = $"{mail.CreatedAt:yyyyMMdd-HHmmss}-{mail.Id:D6}.eml";
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true); // whole or not at all: a reader never sees half a mail
    }

    public static async Task ConnectAsync(SmtpClient smtp, SmtpOptions settings, OAuth2Tokens tokens, CancellationToken ct)
    {
        if (settings.TrustAnyCertificate) smtp.ServerCertificateValidationCallback = (_, _, _, _) => true;
        smtp.Timeout = 30_000;
        await smtp.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Desk:Mail:Smtp:Host is not set."), settings.Port, SocketOptions(settings.Security), ct);
        if (settings.OAuth2.IsConfigured)
            await tokens.AuthenticateAsync(smtp, settings.User ?? "", settings.OAuth2, ct);
        else if (settings.OAuth2AccessToken is { Length: > 0 } token)
            await smtp.AuthenticateAsync(new SaslMechanismOAuth2(settings.User ?? "", token), ct);
        else if (!string.IsNullOrEmpty(settings.User))
            await smtp.AuthenticateAsync(settings.User, settings.Password ?? "", ct);
    }

    public static SecureSocketOptions SocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
