using Desk.Web.Data;
using Desk.Web.Features.Live;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// Each agent's unread count as the bell shows it, kept in this desk's memory (<see cref="KeptReadings{TKey, TValue}"/>):
/// the bell is on every page, and a query per page cost the render-only ceiling a third of its rate. How a desk learns of
/// new notices: every notice but the SLA watch's comes with a ticket change, which drops every kept count; reading notices
/// raises <see cref="DeskSignals.Notices"/>, which does too. The SLA watch's warnings, and anything a signal missed, show
/// within <see cref="Expiry"/>.
/// </summary>
public sealed class BellCounts(DeskSignals signals, TicketChangeSignal changes, TimeProvider clock)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    private readonly KeptReadings<string, int> _kept =
        new KeptReadings<string, int>(Expiry, clock, signals, changes, StringComparer.Ordinal).DroppedOn(signals, DeskSignals.Notices);

    /// <summary><paramref name="agent"/>'s kept count, or <paramref name="read"/>'s answer kept for the next page.</summary>
    public Task<int> GetAsync(string agent, Func<Task<int>> read) => _kept.GetAsync(agent, read);

    /// <summary>After <paramref name="agent"/> read notices, once it is committed: this desk shows it at once, the others when told.</summary>
    public void Forget(string agent)
    {
        _kept.Forget(agent);
        signals.Raise(DeskSignals.Notices);
    }
}
