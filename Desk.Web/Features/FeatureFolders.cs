using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Desk.Web.Features;

/// <summary>
/// Finds a controller's views in its own feature folder, the namespace below <c>Features</c>:
/// Desk.Web.Features.Admin.UsersController → Features/Admin/, Desk.Web.Features.Reports.Sla.SlaController → Features/Reports/Sla/.
/// A folder inside a feature also sees its parent's views (the reports' shared partials and pages live in Features/Reports/).
/// </summary>
public sealed class FeatureFolders : IViewLocationExpander
{
    private const string Root = "Desk.Web.Features.";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        var space = (context.ActionContext.ActionDescriptor as ControllerActionDescriptor)?.ControllerTypeInfo.Namespace;
        context.Values["feature"] = space is not null && space.StartsWith(Root, StringComparison.Ordinal)
            ? space[Root.Length..].Replace('.', '/')
            : "Shared";
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        // Features/Reports/Sla, then Features/Reports: the folder itself first, then each parent up to the feature.
        var folders = new List<string>();
        for (var folder = context.Values["feature"]!; folder.Length > 0; folder = folder.Contains('/') ? folder[..folder.LastIndexOf('/')] : "")
            folders.Add(folder);
        return viewLocations.SelectMany(l => l.Contains("{feature}", StringComparison.Ordinal)
            ? folders.Select(f => l.Replace("{feature}", f, StringComparison.Ordinal))
            : [l]);
    }
}
