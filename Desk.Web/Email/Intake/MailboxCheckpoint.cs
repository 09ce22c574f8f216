namespace Desk.Web.Email.Intake;

/// <summary>
/// Where intake stands in one mailbox: the IMAP UIDVALIDITY and the highest UID taken in (mail is fetched by UID, never
/// by the unread flag, so a person reading the mailbox hides nothing), and when the last poll succeeded — a poller that
/// stops is noticed on /healthz and the admin page.
/// </summary>
public sealed class MailboxCheckpoint
{
    private MailboxCheckpoint() { } // for EF Core

    public MailboxCheckpoint(string mailbox) => Mailbox = mailbox;

    public string Mailbox { get; private set; } = "";
    public long UidValidity { get; private set; }
    public long LastUid { get; private set; }
    public DateTime? LastPollAt { get; private set; }
    public DateTime? LastSuccessAt { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Mails taken in through this mailbox since the desk started counting.</summary>
    public long Taken { get; private set; }

    /// <summary>A new UIDVALIDITY means the server renumbered the folder: start again from the beginning (dedupe keeps it single).</summary>
    public void SeeUidValidity(long uidValidity)
    {
        if (uidValidity == UidValidity) return;
        UidValidity = uidValidity;
        LastUid = 0;
    }

    public void Took(long uid)
    {
        if (uid > LastUid) LastUid = uid;
        Taken++;
    }

    public void Succeeded(DateTime now)
    {
        LastPollAt = now;
        LastSuccessAt = now;
        LastError = null;
    }

    public void Failed(DateTime now, string error)
    {
        LastPollAt = now;
        LastError = error.Length <= 1_000 ? error : error[..1_000];
    }
}
