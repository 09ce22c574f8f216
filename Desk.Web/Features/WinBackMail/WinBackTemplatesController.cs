using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.WinBackMail;

/// <summary>
/// The win-back mail's words in English and Chinese (admins): subject and text with placeholders, and whether the mail
/// is signed by the manager who sends it or by a brand. "Preview" shows the typed words filled in without saving.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class WinBackTemplatesController(DeskDbContext db, WinBackLetters letters, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/win-back-mail";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(string? saved, CancellationToken ct)
    {
        var sections = new List<WinBackTemplateSection>();
        foreach (var language in Desk.Domain.Customers.Customer.SupportedLanguages)
        {
            var template = await letters.TemplateAsync(language, ct);
            sections.Add(await SectionAsync(language, WinBackTemplateForm.Of(template), template, null, saved == language, ct));
        }
        return View("Templates", new WinBackTemplatesPage(sections));
    }

    [HttpPost(Page + "/{language}")]
    public async Task<IActionResult> Save(string language, [FromForm] WinBackTemplateForm form, CancellationToken ct)
    {
        if (!Desk.Domain.Customers.Customer.SupportedLanguages.Contains(language)) return NotFound();
        var me = User.Identity!.Name!;
        var now = clock.GetUtcNow().UtcDateTime;
        WinBackTemplate typed;
        try
        {
            typed = new WinBackTemplate(language, form.Subject ?? "", form.Body ?? "", form.Brand, now, me);
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await PageWithAsync(language, form, null, text.Localize(e), ct);
        }
        if (form.Action == "preview") return await PageWithAsync(language, form, typed, null, ct);

        var row = await db.Set<WinBackTemplate>().SingleOrDefaultAsync(t => t.Language == language, ct);
        if (row is null) db.Add(typed);
        else row.Change(typed.Subject, typed.Body, typed.Brand, now, me);
        await db.SaveChangesAsync(ct);
        return Redirect($"{Page}?saved={language}#template-{language}");
    }

    /// <summary>The page with <paramref name="language"/>'s form as typed (and its preview or error); the other language as stored.</summary>
    private async Task<IActionResult> PageWithAsync(string language, WinBackTemplateForm form, WinBackTemplate? typed, string? error, CancellationToken ct)
    {
        var sections = new List<WinBackTemplateSection>();
        foreach (var l in Desk.Domain.Customers.Customer.SupportedLanguages)
        {
            if (l == language) sections.Add(await SectionAsync(l, form, typed, error, false, ct));
            else
            {
                var stored = await letters.TemplateAsync(l, ct);
                sections.Add(await SectionAsync(l, WinBackTemplateForm.Of(stored), stored, null, false, ct));
            }
        }
        return View("Templates", new WinBackTemplatesPage(sections));
    }

    /// <summary>One language's form, with the template filled in for a sample customer as the signed-in admin would send it.</summary>
    private async Task<WinBackTemplateSection> SectionAsync(string language, WinBackTemplateForm form, WinBackTemplate? template, string? error,
        bool saved, CancellationToken ct)
    {
        (string Subject, string Body)? preview = null;
        if (template is not null)
        {
            var (_, signature) = await letters.SignatureAsync(template, User.Identity!.Name!, ct);
            preview = template.Render(language == "zh"
                ? new WinBackValues("王芳", TicketNumber.Format(123), "水壶漏水", signature)
                : new WinBackValues("Jane Doe", TicketNumber.Format(123), "Kettle leaks", signature));
        }
        return new WinBackTemplateSection(language, form, preview, error, saved);
    }
}

/// <summary>The form as typed; <see cref="Action"/> is "preview" for the preview button, anything else saves.</summary>
public sealed class WinBackTemplateForm
{
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? Brand { get; set; }
    public string? Action { get; set; }

    public static WinBackTemplateForm Of(WinBackTemplate template) => new() { Subject = template.Subject, Body = template.Body, Brand = template.Brand };
}

public sealed record WinBackTemplateSection(string Language, WinBackTemplateForm Form, (string Subject, string Body)? Preview, string? Error, bool Saved);

public sealed record WinBackTemplatesPage(IReadOnlyList<WinBackTemplateSection> Sections);
