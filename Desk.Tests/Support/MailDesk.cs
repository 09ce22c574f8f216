using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Desk.Tests.Support;

/// <summary>The desk of <see cref="DeskWebFactory"/>, with helpers to hand it mail as a mailbox would and to write mail as customers do.</summary>
public class MailDesk : DeskWebFactory
{
    public const string DeskAddress = "support@desk.local";

    /// <summary>Takes one mail in, exactly as a poller would (raw bytes in a fresh scope).</summary>
    public Task<IntakeResult> TakeAsync(MimeMessage message, string source = "test") => TakeAsync(Bytes(message), source);

    public async Task<IntakeResult> TakeAsync(byte[] raw, string source = "test")
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MailIntake>().TakeAsync(raw, source, CancellationToken.None);
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>A plain-text mail from a customer to the desk, with a fresh Message-ID.</summary>
    public static MimeMessage CustomerMail(string from, string subject, string text, string name = "")
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text }, Date = new DateTimeOffset(Now) };
        message.From.Add(new MailboxAddress(name, from));
        message.To.Add(new MailboxAddress("Desk", DeskAddress));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        return message;
    }

    /// <summary>A reply to <paramref name="original"/> (by its Message-ID), quoting it as mail clients do.</summary>
    public static MimeMessage ReplyTo(string from, string originalMessageId, string subject, string text, string quoted = "")
    {
        var reply = CustomerMail(from, subject, quoted.Length == 0 ? text : $"{text}\n\nOn Mon, 23 Nov 2026 at 09:00, Desk <{DeskAddress}> wrote:\n> {quoted.Replace("\n", "\n> ")}\n");
        reply.InReplyTo = originalMessageId;
        reply.References.Add(originalMessageId);
        return reply;
    }
}

/// <summary><see cref="MailDesk"/> on PostgreSQL.</summary>
public sealed class PostgresMailDesk : MailDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
