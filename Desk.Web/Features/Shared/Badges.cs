using Desk.Domain.Tickets;

namespace Desk.Web.Features.Shared;

/// <summary>Where a ticket stands against its SLA, as the queue shows it.</summary>
public enum SlaStatus { Met, Missed, OnTime, DueSoon, Overdue }

/// <summary>Colours and words for states and SLA clocks, the same on every page.</summary>
public static class Badges
{
    public static readonly TimeSpan DueSoonWithin = TimeSpan.FromHours(4);

    public static string StateClass(TicketState state) => state switch
    {
        TicketState.New => "text-bg-primary",
        TicketState.Acknowledged => "text-bg-info",
        TicketState.InProgress => "text-bg-warning",
        TicketState.AwaitingCustomer => "text-bg-secondary",
        TicketState.Escalated => "text-bg-danger",
        TicketState.Resolved => "text-bg-success",
        TicketState.FollowUp => "badge-followup",
        TicketState.Closed => "text-bg-dark",
        _ => "text-bg-light border",
    };

    /// <summary>A language as its speakers write it (中文, English), whatever the page's language; the code itself if unknown.</summary>
    public static string LanguageName(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "";
        try
        {
            var culture = System.Globalization.CultureInfo.GetCultureInfo(code, predefinedOnly: true);
            return culture.Parent.Equals(System.Globalization.CultureInfo.InvariantCulture) ? culture.NativeName : culture.Parent.NativeName;
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            return code;
        }
    }

    public static string StateLabel(TicketState state) => state switch
    {
        TicketState.InProgress => "In progress",
        TicketState.AwaitingCustomer => "Awaiting customer",
        TicketState.FollowUp => "Follow-up",
        _ => state.ToString(),
    };

    /// <summary>The resolution clock: met or missed once resolved; overdue, due soon or on time while open.</summary>
    public static SlaStatus Sla(DateTime resolutionDueAt, DateTime? resolvedAt, TicketState state, DateTime now)
    {
        if (resolvedAt is { } at) return at <= resolutionDueAt ? SlaStatus.Met : SlaStatus.Missed;
        if (state is TicketState.Rejected or TicketState.Closed) return SlaStatus.Met;
        if (now > resolutionDueAt) return SlaStatus.Overdue;
        return resolutionDueAt - now <= DueSoonWithin ? SlaStatus.DueSoon : SlaStatus.OnTime;
    }

    public static string SlaClass(SlaStatus status) => status switch
    {
        SlaStatus.Overdue or SlaStatus.Missed => "text-bg-danger",
        SlaStatus.DueSoon => "text-bg-warning",
        _ => "text-bg-light border",
    };

    public static string SlaLabel(SlaStatus status) => status switch
    {
        SlaStatus.DueSoon => "Due soon",
        SlaStatus.OnTime => "On time",
        SlaStatus.Met => "SLA met",
        SlaStatus.Missed => "SLA missed",
        _ => status.ToString(),
    };

    /// <summary>"in 3 h", "2 d ago" (or their translation): short relative times for clocks.</summary>
    public static string Relative(DateTime at, DateTime now, Microsoft.Extensions.Localization.IStringLocalizer text)
    {
        var span = at - now;
        var abs = span.Duration();
        var amount = abs.TotalMinutes < 60 ? text["{0} min", abs.TotalMinutes.ToString("0", System.Globalization.CultureInfo.CurrentCulture)]
            : abs.TotalHours < 48 ? text["{0} h", abs.TotalHours.ToString("0", System.Globalization.CultureInfo.CurrentCulture)]
            : text["{0} d", abs.TotalDays.ToString("0", System.Globalization.CultureInfo.CurrentCulture)];
        return span >= TimeSpan.Zero ? text["in {0}", amount] : text["{0} ago", amount];
    }
}
