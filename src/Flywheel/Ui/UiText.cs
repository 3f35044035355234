namespace Flywheel.Ui;

/// <summary>
/// Names the console's string resources (UiText.resx in English, UiText.zh-CN.resx in Chinese) for
/// <c>IStringLocalizer&lt;UiText&gt;</c>. A test checks that both files have the same keys and that every key the pages use exists.
/// </summary>
public sealed class UiText;
