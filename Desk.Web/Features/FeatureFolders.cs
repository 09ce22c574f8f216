using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Desk.Web.Features;

/// <summary>Finds a controller's views in its own feature folder: Desk.Web.Features.Admin.UsersController → Features/Admin/.</summary>
public sealed class FeatureFolders : IViewLocationExpander
{
    public void PopulateValues(ViewLocationExpanderContext context) =>
        context.Values["feature"] = (context.ActionContext.ActionDescriptor as ControllerActionDescriptor)
            ?.ControllerTypeInfo.Namespace?.Split('.')[^1] ?? "Shared";

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations) =>
        viewLocations.Select(l => l.Replace("{feature}", context.Values["feature"], StringComparison.Ordinal));
}
