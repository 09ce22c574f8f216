namespace Desk.Web.Email.Intake;

/// <summary>
/// How polling goes for one mail source, as the desk polling it last wrote it: every desk on the database reads the same
/// row, so /healthz and /admin/mail agree whichever desk answers (see <see cref="MailStatus"/>).
/// </summary>
public sealed class MailSourceState
{
    private MailSourceState() { } // for EF Core

    public MailSourceState(string source) => Source = source;

    public string Source { get; private set; } = "";

    /// <summary>When the desk polling it now began to (a new holder of its lease starts the stale clock again).</summary>
    public DateTime PolledSince { get; set; }

    /// <summary>Which desk polls it (host and process id), for people reading the admin page and logs.</summary>
    public string? PolledBy { get; set; }

    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastFailureAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>Mails taken in from this source, by every desk that polled it.</summary>
    public long Taken { get; set; }

    public bool Idle { get; set; }
}
