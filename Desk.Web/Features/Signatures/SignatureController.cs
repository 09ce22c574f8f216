using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Signatures;

/// <summary>Each agent's own signature: only ever their own, read and changed by them.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class SignatureController(DeskDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/account/signature")]
    public async Task<IActionResult> Edit(bool saved, CancellationToken ct) =>
        View("Signature", new SignaturePage(await AgentSignatures.ReadAsync(db, User.Identity!.Name!, ct) ?? "", saved, null));

    [HttpPost("/account/signature")]
    public async Task<IActionResult> Edit([FromForm] string? signature, CancellationToken ct)
    {
        var me = User.Identity!.Name!;
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var row = await db.Set<AgentSignature>().SingleOrDefaultAsync(s => s.Agent == me, ct);
            if (row is null) db.Add(new AgentSignature(me, signature ?? "", now));
            else row.Change(signature ?? "", now);
            await db.SaveChangesAsync(ct);
            return Redirect("/account/signature?saved=true");
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Signature", new SignaturePage(signature ?? "", false, text.Localize(e)));
        }
    }
}

public sealed record SignaturePage(string Signature, bool Saved, string? Error);
