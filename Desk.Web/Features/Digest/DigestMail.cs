using System.Globalization;
using System.Net;
using System.Text;
using Desk.Domain.Recovery;
using Desk.Web.Email;
using Desk.Web.Features.Dashboard;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Digest;

/// <summary>A digest as it is mailed: subject, plain text and HTML.</summary>
public sealed record DigestMessage(string Subject, string Text, string Html);

/// <summary>
/// The digest's words and layout: the dashboard's figures (read by <see cref="DashboardQuery"/>, never recomputed here) in
/// the subscriber's language, with the dashboard's own labels (the same resource strings, so mail and page agree), bar
/// charts drawn with HTML tables (widths and background colours, which every mail client renders; no images or scripts
/// to block), a link to the dashboard, and a plain-text part with the same figures.
/// </summary>
public sealed class DigestMail(IStringLocalizer<SharedResource> text, IOptions<MailOptions> mail)
{
    private const string Blue = "#0d6efd", Grey = "#adb5bd", Red = "#dc3545", Green = "#198754", Muted = "#6c757d", Border = "#dee2e6";

    private IStringLocalizer Text => text;
    private MailOptions Mail => mail.Value;
    private string BaseUrl => Mail.PublicBaseUrl.TrimEnd('/');

    /// <summary>The dashboard page, in the subscriber's language.</summary>
    public string DashboardUrl(string language) => $"{BaseUrl}/dashboard" + (language == "zh" ? "?culture=zh-CN" : "");

    /// <summary>Where a subscriber changes or stops it.</summary>
    public string SubscriptionUrl(string language) => $"{BaseUrl}/account/digest" + (language == "zh" ? "?culture=zh-CN" : "");

    /// <summary>The digest of <paramref name="dashboard"/> in <paramref name="language"/> ("en" or "zh").</summary>
    public DigestMessage Compose(Desk.Web.Features.Dashboard.Dashboard dashboard, DigestFrequency frequency, string language)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var chosen = Localization.Cultures.Single(c => c.Name == (language == "zh" ? "zh-CN" : "en"));
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = chosen;
        try
        {
            return new Writer(this, dashboard, frequency, language).Write();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    /// <summary>One digest being written (under the subscriber's culture).</summary>
    private sealed class Writer(DigestMail owner, Desk.Web.Features.Dashboard.Dashboard d, DigestFrequency frequency, string language)
    {
        private readonly IStringLocalizer T = owner.Text;
        private readonly StringBuilder _html = new();
        private readonly StringBuilder _text = new();

        public DigestMessage Write()
        {
            var desk = owner.Mail.DisplayName;
            var kind = frequency == DigestFrequency.Weekly ? T["Weekly report"].Value : T["Monthly report"].Value;
            var flow = d.Flow;
            var subject = T["{0} · {1}: {2} complaints in the last 7 days", desk, kind, Count(flow.Now.Complaints)].Value;
            var period = T["The last 7 days ({0}), against the 7 days before ({1}) and the same days a year ago ({2}).",
                Span(d.Week), Span(d.LastWeek), Span(d.YearAgo)].Value;
            var dashboardUrl = owner.DashboardUrl(language);

            _html.Append(CultureInfo.InvariantCulture, $"""
                <!DOCTYPE html>
                <html lang="{(language == "zh" ? "zh-CN" : "en")}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
                <body style="margin:0;padding:0;background:#f4f5f7">
                <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7"><tr><td align="center" style="padding:16px 8px">
                <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid {Border};font-family:Arial,'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;color:#212529;font-size:14px;line-height:1.4">
                <tr><td style="padding:20px 20px 4px">
                <div style="font-size:12px;color:{Muted}">{E(desk)} · {E(kind)}</div>
                <h1 style="margin:4px 0 0;font-size:22px;font-weight:bold">{E(T["Dashboard"])}</h1>
                <p style="margin:6px 0 0;font-size:13px;color:{Muted}">{E(period)}</p>
                </td></tr>
                """);
            _text.AppendLine(CultureInfo.InvariantCulture, $"{desk} · {kind}").AppendLine().AppendLine(period).AppendLine();

            Tiles();
            ComplaintsChart();
            OnTimeChart();
            RisingChart();

            var button = T["Open the dashboard"].Value;
            var footer = T["You get this mail because you asked for it. Change or stop it at {0}", owner.SubscriptionUrl(language)].Value;
            _html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td style="padding:12px 20px 20px">
                <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td bgcolor="{Blue}" style="background:{Blue};border-radius:4px">
                <a href="{E(dashboardUrl)}" id="open-dashboard" style="display:inline-block;padding:10px 18px;color:#ffffff;text-decoration:none;font-weight:bold">{E(button)}</a>
                </td></tr></table>
                </td></tr>
                <tr><td style="padding:12px 20px 16px;border-top:1px solid {Border};font-size:12px;color:{Muted}">{E(footer)}</td></tr>
                </table>
                </td></tr></table>
                </body></html>
                """);
            _text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{button}: {dashboardUrl}").AppendLine().AppendLine("-- ").AppendLine(footer);
            return new DigestMessage(subject, _text.ToString(), _html.ToString());
        }

        /// <summary>The dashboard's eight tiles, two to a row.</summary>
        private void Tiles()
        {
            var flow = d.Flow;
            var before = (Func<string, string>)(v => T["7 days before {0}", v].Value);
            var yearAgo = (Func<string, string>)(v => T["a year ago {0}", v].Value);
            var tiles = new List<(string Id, string Label, string Value, string ChangeHtml, string ChangeText, string Note)>
            {
                ("complaints", T["Complaints in"], Count(flow.Now.Complaints), ChangeHtml(flow.Now.Complaints, flow.Before.Complaints, false), ChangeText(flow.Now.Complaints, flow.Before.Complaints),
                    $"{before(Count(flow.Before.Complaints))} · {yearAgo(Count(flow.YearAgo.Complaints))}"),
                ("open", T["Open now"], Count(d.Open), "", "", T["every open ticket, whenever it came"]),
                ("overdue", T["Overdue now"], d.Overdue > Queue.QueueCounts.Cap ? $"{Queue.QueueCounts.Cap}+" : Count(d.Overdue), "", "", T["open past their resolution time"]),
                ("winback", T["To win back"], Count(d.WinBackCount) + (d.WinBackCount >= d.WinBackLimit ? "+" : ""), "", "",
                    T["customers gone quiet after a complaint, worth {0}", Money(d.WinBackValue)]),
                ("first-response", T["First response on time"], Pct(flow.Now.FirstResponse),
                    ChangeHtml(flow.Now.FirstResponse.Rate, flow.Before.FirstResponse.Rate, true, points: true), ChangeText(flow.Now.FirstResponse.Rate, flow.Before.FirstResponse.Rate, points: true),
                    $"{before(Pct(flow.Before.FirstResponse))} · {yearAgo(Pct(flow.YearAgo.FirstResponse))}"),
                ("resolution", T["Resolved on time"], Pct(flow.Now.Resolution),
                    ChangeHtml(flow.Now.Resolution.Rate, flow.Before.Resolution.Rate, true, points: true), ChangeText(flow.Now.Resolution.Rate, flow.Before.Resolution.Rate, points: true),
                    $"{before(Pct(flow.Before.Resolution))} · {yearAgo(Pct(flow.YearAgo.Resolution))}"),
                ("repurchase", T["Bought again after a resolved complaint"], Pct(d.Recovery.Repurchased),
                    ChangeHtml(d.Recovery.Repurchased.Rate, d.RecoveryBefore.Repurchased.Rate, true, points: true), ChangeText(d.Recovery.Repurchased.Rate, d.RecoveryBefore.Repurchased.Rate, points: true),
                    T["the year before {0}", Pct(d.RecoveryBefore.Repurchased)] + " · " + T["last 365 days; {0} still within their window, counted once it ends",
                        d.Recovery.PendingShare is { } share ? share.ToString("P0", CultureInfo.CurrentCulture) : "—"]),
                ("money", T["Remedies against revenue kept"], $"{Money(d.Recovery.RemedyCost)} → {Money(d.Recovery.RevenueAfter)}", "", "",
                    (d.Recovery.RemedyCost > 0 ? T["every 1 spent on remedies was followed by {0} in orders", (d.Recovery.RevenueAfter / d.Recovery.RemedyCost).ToString("N1", CultureInfo.CurrentCulture)].Value
                        : T["no remedy cost yet"].Value) + " · " + T["last 365 days, resolved complaints"]),
            };
            // Spacing between cells, borders on the cells themselves: the two tiles of a row are as tall as each other.
            _html.Append("<tr><td style=\"padding:8px 12px 0\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"8\" border=\"0\">");
            for (var i = 0; i < tiles.Count; i += 2)
            {
                _html.Append("<tr>");
                foreach (var tile in tiles.Skip(i).Take(2))
                    _html.Append(CultureInfo.InvariantCulture, $"""
                        <td width="50%" valign="top" id="tile-{tile.Id}" style="border:1px solid {Border};border-radius:6px;padding:10px 12px">
                        <div style="font-size:12px;color:{Muted}">{E(tile.Label)}</div>
                        <div style="font-size:22px;font-weight:bold;white-space:nowrap">{E(tile.Value)}</div>
                        <div style="font-size:12px">{tile.ChangeHtml} {E(tile.Note)}</div>
                        </td>
                        """);
                _html.Append("</tr>");
            }
            _html.Append("</table></td></tr>");
            foreach (var tile in tiles)
                _text.AppendLine(CultureInfo.InvariantCulture, $"{tile.Label}: {tile.Value}{(tile.ChangeText.Length > 0 ? $" ({tile.ChangeText})" : "")}")
                    .AppendLine(CultureInfo.InvariantCulture, $"  {tile.Note}");
        }

        /// <summary>Complaints in over the three weeks the dashboard compares.</summary>
        private void ComplaintsChart()
        {
            var flow = d.Flow;
            var max = Math.Max(1, Math.Max(flow.Now.Complaints, Math.Max(flow.Before.Complaints, flow.YearAgo.Complaints)));
            ChartStart("chart-complaints", T["Complaints in"]);
            Bar(T["Last 7 days"], Span(d.Week), flow.Now.Complaints / (double)max, Count(flow.Now.Complaints), Blue);
            Bar(T["The 7 days before"], Span(d.LastWeek), flow.Before.Complaints / (double)max, Count(flow.Before.Complaints), Grey);
            Bar(T["The same days a year ago"], Span(d.YearAgo), flow.YearAgo.Complaints / (double)max, Count(flow.YearAgo.Complaints), Grey);
            ChartEnd();
        }

        /// <summary>The two on-time rates, this week against the week before (a bar's length is the rate itself).</summary>
        private void OnTimeChart()
        {
            var flow = d.Flow;
            ChartStart("chart-on-time", T["On time, last 7 days against the 7 days before"]);
            foreach (var (label, now, before) in new[]
                     {
                         (T["First response on time"].Value, flow.Now.FirstResponse, flow.Before.FirstResponse),
                         (T["Resolved on time"].Value, flow.Now.Resolution, flow.Before.Resolution),
                     })
            {
                Bar(label, T["Last 7 days"], now.Rate ?? 0, Pct(now), Blue);
                Bar("", T["The 7 days before"], before.Rate ?? 0, Pct(before), Grey);
            }
            ChartEnd();
        }

        /// <summary>The root causes moving up, as the dashboard lists them.</summary>
        private void RisingChart()
        {
            ChartStart("chart-rising", $"{T["Root causes moving up"]} ({T["last 4 weeks against the 4 before"]})");
            if (d.Rising.Count == 0)
            {
                var none = T["No root cause has more complaints than in the four weeks before."].Value;
                _html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"3\" style=\"font-size:13px;color:{Muted}\">{E(none)}</td></tr>");
                _text.AppendLine(CultureInfo.InvariantCulture, $"  {none}");
            }
            var max = Math.Max(1, d.Rising.Count == 0 ? 1 : d.Rising.Max(r => r.Now));
            foreach (var cause in d.Rising)
            {
                Bar(cause.Display, T["last 4 weeks"], cause.Now / (double)max, Count(cause.Now), Red);
                Bar("", T["the 4 before"], cause.Before / (double)max, Count(cause.Before), Grey);
            }
            ChartEnd();
        }

        private void ChartStart(string id, string title)
        {
            _html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td style="padding:14px 20px 0">
                <h2 style="margin:0 0 6px;font-size:15px;font-weight:bold">{E(title)}</h2>
                <table role="presentation" id="{id}" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:13px">
                """);
            _text.AppendLine().AppendLine(title);
        }

        private void ChartEnd() => _html.Append("</table></td></tr>");

        /// <summary>One bar: a label (bold when it starts a group), a muted sub-label, the bar as a table cell of the share's width, the value.</summary>
        private void Bar(string label, string sublabel, double share, string value, string colour)
        {
            var width = Math.Clamp((int)Math.Round(share * 100), 0, 100);
            var bar = width == 0 ? "&nbsp;" : string.Create(CultureInfo.InvariantCulture, $"""
                <table role="presentation" width="{width}%" cellpadding="0" cellspacing="0" border="0"><tr><td height="14" bgcolor="{colour}" style="background:{colour};height:14px;font-size:0;line-height:0;border-radius:2px">&nbsp;</td></tr></table>
                """);
            _html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-value="{E(value)}"><td width="38%" valign="middle" style="padding:3px 8px 3px 0">{(label.Length > 0 ? $"<div style=\"font-weight:bold\">{E(label)}</div>" : "")}<div style="font-size:11px;color:{Muted}">{E(sublabel)}</div></td>
                <td width="47%" valign="middle" style="padding:3px 0">{bar}</td>
                <td width="15%" valign="middle" align="right" style="padding:3px 0 3px 8px;white-space:nowrap">{E(value)}</td></tr>
                """);
            _text.AppendLine(CultureInfo.InvariantCulture, $"  {(label.Length > 0 ? label + " · " : "")}{sublabel}: {value} {new string('#', (int)Math.Round(share * 20))}");
        }

        /// <summary>▲/▼ and how much, green when it is good news, red when bad (as the dashboard's tiles).</summary>
        private string ChangeHtml(double? now, double? then, bool higherIsBetter, bool points = false)
        {
            if (now is not { } a || then is not { } b) return "";
            var delta = a - b;
            if (Math.Abs(delta) < 1e-9) return $"<span style=\"color:{Muted}\">=</span>";
            var good = delta > 0 == higherIsBetter;
            return $"<span style=\"color:{(good ? Green : Red)};font-weight:bold\">{E(ChangeText(now, then, points))}</span>";
        }

        private string ChangeText(double? now, double? then, bool points = false)
        {
            if (now is not { } a || then is not { } b) return "";
            var delta = a - b;
            if (Math.Abs(delta) < 1e-9) return "=";
            var amount = points ? $"{Math.Abs(delta) * 100:0} " + T["pts"].Value : b == 0 ? "" : (Math.Abs(delta) / b).ToString("P0", CultureInfo.CurrentCulture);
            return $"{(delta > 0 ? "▲" : "▼")} {amount}".TrimEnd();
        }

        private static string E(string value) => WebUtility.HtmlEncode(value);
        private static string Pct(Proportion p) => p.Rate is { } x ? x.ToString("P0", CultureInfo.CurrentCulture) : "—";
        private static string Count(long n) => n.ToString("N0", CultureInfo.CurrentCulture);
        private static string Money(decimal m) => m.ToString("N0", CultureInfo.CurrentCulture);
        private static string Day(DateOnly day) => day.ToString("d", CultureInfo.CurrentCulture);
        private static string Span(Period p) => p.From == p.Last ? Day(p.From) : $"{Day(p.From)} – {Day(p.Last)}";
    }
}
