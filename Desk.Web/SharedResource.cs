namespace Desk.Web;

/// <summary>
/// Marker for the desk's texts: the English text is the key, Resources/SharedResource.zh-CN.resx holds
/// the Chinese. Views inject IStringLocalizer&lt;SharedResource&gt;; validation messages use it too.
/// </summary>
public sealed class SharedResource;
