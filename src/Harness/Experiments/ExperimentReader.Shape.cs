using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

internal sealed partial class ExperimentReader
{
    // Reports unknown keys and values of the wrong shape (an object where a number belongs, a
    // number where an object belongs) below one section, depth first.
    private void CheckShape(IConfiguration section, SettingNode node, string keyPrefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = keyPrefix + child.Key;
            var childNode = node.FindChild(child.Key);
            if (childNode is null)
            {
                ReportUnknownKey(key, child.Key, node);
                continue;
            }

            var hasChildren = child.GetChildren().Any();
            switch (childNode.Kind)
            {
                case SettingKind.Section
                    when child.Value is not null && !hasChildren && !IsSwitchedOff(key):
                    misshapenKeys.Add(key);
                    ReportInvalid(key, child.Value);
                    break;
                case SettingKind.Section:
                    CheckShape(child, childNode, key + ConfigurationPath.KeyDelimiter);
                    break;
                case SettingKind.List:
                    CheckListShape(child, key);
                    break;
                case SettingKind.Scalar when hasChildren:
                    misshapenKeys.Add(key);
                    Report(key, $"found an object or a list, expected {childNode.Expected}");
                    break;
            }
        }
    }

    private void CheckListShape(IConfigurationSection list, string key)
    {
        foreach (var item in list.GetChildren())
        {
            var itemKey = key + ConfigurationPath.KeyDelimiter + item.Key;
            if (!int.TryParse(item.Key, out _))
            {
                misshapenKeys.Add(key);
                Report(key, $"found an object, expected {Expected(key)}");
                return;
            }

            if (item.GetChildren().Any())
            {
                misshapenKeys.Add(itemKey);
                Report(itemKey, $"found an object or a list, expected {Expected(key)}");
            }
        }
    }

    private void ReportUnknownKey(string key, string found, SettingNode parent)
    {
        var allowed = parent.Children.Select(child => child.Name).ToList();
        var hint = SpellingHint.Format(found, allowed);
        var where = parent == ExperimentSchema.Root ? "" : $" in `{parent.Name}`";
        Report(key, $"unknown key{hint}. Allowed keys{where}: {string.Join(", ", allowed)}");
    }
}
