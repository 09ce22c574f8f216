using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Desk.Domain;
using Desk.Domain.Remedies;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web;
using Desk.Web.Features;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Desk.Tests.Web;

/// <summary>The domain's refusals reach a Chinese reader in Chinese: every template has a translation, and so do the words put into it.</summary>
public sealed partial class DomainMessageTests
{
    private static readonly IStringLocalizer Text = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(SharedResource));

    [Fact]
    public void EveryRefusalWrittenInTheSources_HasAChineseTranslation()
    {
        var keys = XDocument.Load(Repository.PathOf("Desk.Web", "Resources", "SharedResource.zh-CN.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sources = new[] { "Desk.Domain", "Desk.Web" }
            .SelectMany(project => Directory.EnumerateFiles(Repository.PathOf(project), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains("Migrations"))
            .ToDictionary(path => Path.GetRelativePath(Repository.Root, path), File.ReadAllText);

        // An interpolated message could not be looked up: its text changes with the data.
        Assert.Empty(sources.Where(s => s.Value.Contains("DomainException($\"")).Select(s => s.Key));
        var templates = sources
            .SelectMany(s => TemplateInSource().Matches(s.Value).Select(m => (File: s.Key, Text: Regex.Unescape(m.Groups["text"].Value))))
            .ToList();

        Assert.True(templates.Count > 40, $"only {templates.Count} templates found: has the pattern stopped matching?");
        Assert.Empty(templates.Where(t => !keys.Contains(t.Text)).Select(t => $"{t.File}: {t.Text}"));
    }

    public static TheoryData<TicketState, TicketTrigger> RefusedSteps()
    {
        var data = new TheoryData<TicketState, TicketTrigger>();
        foreach (var state in Enum.GetValues<TicketState>())
        foreach (var trigger in Enum.GetValues<TicketTrigger>())
        {
            var ticket = TicketInState.Build(state, TicketInState.Clock());
            if (Refusal(ticket, trigger) is not null) data.Add(state, trigger);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedSteps))]
    public void EveryRefusedStep_ReadsInChinese_WithNothingEnglishButTheTicketNumber(TicketState state, TicketTrigger trigger)
    {
        var refusal = Refusal(TicketInState.Build(state, TicketInState.Clock()), trigger)!;

        var chinese = InCulture("zh-CN", () => Text.Localize(refusal));
        var english = InCulture("en", () => Text.Localize(refusal));

        // In English too the state reads as the badge shows it ("Awaiting customer", not "AwaitingCustomer").
        Assert.Equal(refusal.Message.Replace($" {state}", $" {Desk.Web.Features.Shared.Badges.StateLabel(state)}"), english);
        Assert.Matches("\\p{IsCJKUnifiedIdeographs}", chinese);
        Assert.DoesNotMatch("[A-Za-z]{2,}", chinese.Replace("D-", ""));
    }

    [Fact]
    public void AnIncompleteResolution_NamesEveryMissingPart_JoinedInTheReadersLanguage()
    {
        var ticket = TicketInState.Build(TicketState.InProgress, TicketInState.Clock());
        var refusal = Assert.Throws<DomainException>(() =>
            ticket.Resolve("bob", TicketInState.Start.UtcDateTime, new Resolution(null, null, null, null, "Sorry")));

        Assert.Equal($"Ticket {ticket.Number} cannot be resolved: it still needs a remedy given and its cost (zero or more) and a root cause.", refusal.Message);
        Assert.Equal($"工单 {ticket.Number} 还不能解决：仍缺少给出的补救措施、补救成本（零或以上）、根本原因。", InCulture("zh-CN", () => Text.Localize(refusal)));
    }

    [Fact]
    public void DataInAMessage_StaysAsTyped()
    {
        var refusal = Assert.Throws<DomainException>(() => Desk.Domain.Customers.Customer.NormalizeEmail("Refund"));

        Assert.Equal("“Refund”不是有效的电子邮件地址。", InCulture("zh-CN", () => Text.Localize(refusal)));
    }

    /// <summary>Fires <paramref name="trigger"/> through the ticket's intent method with sensible input; the refusal, if any.</summary>
    private static DomainException? Refusal(Ticket ticket, TicketTrigger trigger)
    {
        var now = TicketInState.Start.UtcDateTime.AddHours(1);
        Action step = trigger switch
        {
            TicketTrigger.Acknowledge => () => ticket.Acknowledge("desk", now),
            TicketTrigger.Assess => () => ticket.Assess("bob", now, Desk.Domain.Tickets.Severity.Major, Impact.High, false, Desk.Domain.Sla.SlaPolicy.Default),
            TicketTrigger.Assign => () => ticket.Assign("lead", now, "bob"),
            TicketTrigger.RequestInfo => () => ticket.RequestInfo("bob", now, "A photo, please?"),
            TicketTrigger.CustomerReplied => () => ticket.CustomerReplied("ann@example.com", now, "Here it is."),
            TicketTrigger.Escalate => () => ticket.Escalate("bob", now, "Above my limit"),
            TicketTrigger.Resolve => () => ticket.Resolve("bob", now, new Resolution(RemedyKinds.Refund, 10m, TicketInState.RootCauseId, null, "Refunded.")),
            TicketTrigger.StartFollowUp => () => ticket.StartFollowUp("desk", now, TicketInState.FollowUpWindow),
            TicketTrigger.Close => () => ticket.Close("desk", now),
            TicketTrigger.Reopen => () => ticket.Reopen("bob", now, "Customer wrote again"),
            TicketTrigger.Reject => () => ticket.Reject("bob", now, RejectionReason.NotAComplaint),
            TicketTrigger.Merge => () => ticket.MergeInto("bob", now, 999),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "a trigger this test does not know: add it"),
        };
        try { step(); return null; }
        catch (DomainException e) { return e; }
    }

    private static string InCulture(string name, Func<string> read)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
        try { return read(); }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    // DomainException("…"), a phrase handed to Require(…, "…"), a workflow phrase (Describe's arms, guard descriptions),
    // and the remedy list's and the lost-update templates.
    [GeneratedRegex(@"(?:DomainException\(|Require\([\w.]+, |TicketTrigger\.\w+ => |GuardDescription = |PermitIf\([^"";]*?|Template = |=> new\(|is not >=? 0m? \? )""(?<text>(?:[^""\\]|\\.)+)""")]
    private static partial Regex TemplateInSource();
}
