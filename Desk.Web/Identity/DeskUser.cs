using Microsoft.AspNetCore.Identity;

namespace Desk.Web.Identity;

/// <summary>A person who works the desk: an agent, a manager or an admin. Customers never have one.</summary>
public sealed class DeskUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The zone this person reads times in (an IANA id such as Asia/Shanghai); null for the desk's own.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    public string? TimeZone { get; set; }
}

/// <summary>The roles, and the policies every controller action names.</summary>
public static class DeskRoles
{
    public const string Agent = "Agent";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Agent, Manager, Admin];
}

public static class DeskPolicies
{
    /// <summary>Works the queue: agents, and managers and admins who step in.</summary>
    public const string WorksTickets = nameof(WorksTickets);
    /// <summary>Reads the reports about why customers are lost.</summary>
    public const string ReadsReports = nameof(ReadsReports);
    /// <summary>Exports or erases everything held on a customer (GDPR, PIPL): managers and admins, never agents.</summary>
    public const string HandlesPersonalData = nameof(HandlesPersonalData);
    /// <summary>Configures the desk: users, mailboxes, SLAs, the taxonomy.</summary>
    public const string ConfiguresDesk = nameof(ConfiguresDesk);
}
