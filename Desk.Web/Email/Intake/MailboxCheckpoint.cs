namespace Desk.Web.Email.Intake;

/// <summary>
/// Where intake stands in one mailbox: the IMAP UIDVALIDITY and the highest UID taken in (mail is fetched by UID, never
/// by the unread flag, so a person reading the mailbox hides nothing). How polling goes is <see cref="MailStatus"/>'s.
/// </summary>
public sealed class MailboxCheckpoint
{
    private MailboxCheckpoint() { } // for EF Core

    public MailboxCheckpoint(string mailbox) => Mailbox = mailbox;

    public string Mailbox { get; private set; } = "";
    public long UidValidity { get; private set; }
    public long LastUid { get; private set; }

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
    }
}
