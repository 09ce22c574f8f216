using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.Privacy;

/// <summary>
/// How long the desk keeps personal data (<c>Desk:Privacy</c>). Each period is off (null: kept) unless set; set, the
/// background <see cref="RetentionJob"/> removes what is older, in batches.
/// </summary>
public sealed class PrivacyOptions
{
    public const string Section = "Desk:Privacy";

    /// <summary>Days a received mail's original (raw bytes and its HTML) is kept; the conversation's text stays.</summary>
    [Range(1, 36_500)]
    public int? RawMailDays { get; set; }

    /// <summary>Days the files customers sent are kept.</summary>
    [Range(1, 36_500)]
    public int? AttachmentDays { get; set; }

    /// <summary>Days after closing a ticket keeps the customer's words and details; then it is kept anonymised for the reports.</summary>
    [Range(1, 36_500)]
    public int? ClosedTicketPersonalDataDays { get; set; }

    /// <summary>How often the retention job looks for what is due.</summary>
    [Range(1, 86_400)]
    public int RunEveryMinutes { get; set; } = 60;

    /// <summary>Rows removed per write, so the job never holds the database for long.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    public bool AnyRetention => RawMailDays is not null || AttachmentDays is not null || ClosedTicketPersonalDataDays is not null;
}
