namespace Desk.Web.Features.Public;

/// <summary>Settings of the public complaint form and status links.</summary>
public sealed class PublicFormOptions
{
    public const string Section = "Desk:PublicForm";

    /// <summary>
    /// Complaints, replies and survey answers one client address may post per window, and as many to one customer's
    /// e-mail address, against floods and robots; counted in the database, shared by every desk.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PostsPerWindow { get; set; } = 5;

    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int WindowMinutes { get; set; } = 10;

    /// <summary>How long a status link works.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int LinkLifetimeDays { get; set; } = 365;
}
