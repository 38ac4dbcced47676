using System.Text.Json;
using System.Text.RegularExpressions;

namespace Harness.Workloads;

/// <summary>
/// Reads one <c>workload.json</c> into a <see cref="WorkloadDefinition"/>, collecting every
/// invalid or missing field so that the user sees all of them at once.
/// </summary>
internal sealed partial class WorkloadFileReader
{
    private static readonly string[] TopLevelFields =
    [
        "name",
        "entrypoint",
        "environment",
        "workingDirectory",
        "port",
        "readinessPath",
        "triggerPath",
        "build",
    ];

    private static readonly string[] BuildFields = ["base", "runtimePackages", "application"];
    private static readonly string[] BaseFields = ["suite", "mirror", "variant"];
    private static readonly string[] ApplicationFields = ["destination", "files", "npmInstall"];

    private readonly List<string> _errors = [];
    private readonly string _folder;
    private readonly string _manifestPath;

    private WorkloadFileReader(string folder, string manifestPath)
    {
        _folder = folder;
        _manifestPath = manifestPath;
    }

    /// <summary>Reads and validates the <c>workload.json</c> of one workload folder.</summary>
    public static WorkloadDefinition Read(string folder)
    {
        var manifestPath = Path.Combine(folder, "workload.json");
        string text;
        try
        {
            text = File.ReadAllText(manifestPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException(
                $"Could not read {manifestPath}: {exception.Message}",
                exception
            );
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                text,
                new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                }
            );
        }
        catch (JsonException exception)
        {
            throw new HarnessException(
                $"{manifestPath} is not valid JSON (line {exception.LineNumber + 1}, byte "
                    + $"{exception.BytePositionInLine + 1}): {exception.Message}",
                exception
            );
        }

        using (document)
        {
            return new WorkloadFileReader(folder, manifestPath).ReadRoot(document.RootElement);
        }
    }

    private WorkloadDefinition ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid([$"the file must contain a JSON object, found {Describe(root)}"]);
        }

        CheckKnownFields(root, "", TopLevelFields);
        var name = ReadString(
            root,
            "name",
            required: true,
            NamePattern(),
            "lowercase letters, " + "digits and dashes"
        );
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(_folder));
        if (name is not null && name != folderName)
        {
            _errors.Add(
                $"'name' is \"{name}\" but the folder is \"{folderName}\"; " + "they must be equal"
            );
        }

        var entrypoint = ReadStringList(root, "entrypoint", required: true, allowEmpty: false);
        var environment = ReadEnvironment(root);
        var workingDirectory = ReadAbsolutePath(root, "workingDirectory", "") ?? "/";
        var port = ReadPort(root);
        var readinessPath = ReadRequestPath(root, "readinessPath");
        var triggerPath = ReadRequestPath(root, "triggerPath");
        var build = ReadBuild(root);

        if (_errors.Count > 0)
        {
            throw Invalid(_errors);
        }

        var manifest = new WorkloadManifest
        {
            Name = name!,
            Entrypoint = entrypoint!,
            Environment = environment,
            WorkingDirectory = workingDirectory,
            Port = port,
            ReadinessPath = readinessPath,
            TriggerPath = triggerPath,
        };
        return new WorkloadDefinition(manifest, build!, _folder, _manifestPath);
    }

    private WorkloadBuild? ReadBuild(JsonElement root)
    {
        if (!root.TryGetProperty("build", out var build))
        {
            _errors.Add("'build' is missing; it says how the image's layers are assembled");
            return null;
        }

        if (build.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"'build' must be an object, found {Describe(build)}");
            return null;
        }

        CheckKnownFields(build, "build.", BuildFields);
        var baseSystem = ReadBaseSystem(build);
        var packages = ReadStringList(
            build,
            "runtimePackages",
            required: true,
            allowEmpty: true,
            "build."
        );
        if (packages is not null)
        {
            foreach (var package in packages.Where(p => !DebianPackagePattern().IsMatch(p)))
            {
                _errors.Add(
                    $"'build.runtimePackages' contains \"{package}\", which is not a "
                        + "Debian package name (lowercase letters, digits, '+', '-', '.')"
                );
            }
        }

        var application = ReadApplication(build);
        if (packages is null || application is null)
        {
            return null;
        }

        return new WorkloadBuild
        {
            Base = baseSystem,
            RuntimePackages = packages,
            Application = application,
        };
    }

    private WorkloadBaseSystem ReadBaseSystem(JsonElement build)
    {
        var defaults = new WorkloadBaseSystem();
        if (!build.TryGetProperty("base", out var baseElement))
        {
            return defaults;
        }

        if (baseElement.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"'build.base' must be an object, found {Describe(baseElement)}");
            return defaults;
        }

        CheckKnownFields(baseElement, "build.base.", BaseFields);
        var suite = ReadString(
            baseElement,
            "suite",
            required: false,
            NamePattern(),
            "a Debian suite name such as bookworm",
            "build.base."
        );
        var variant = ReadString(
            baseElement,
            "variant",
            required: false,
            NamePattern(),
            "a debootstrap variant such as minbase",
            "build.base."
        );
        var mirror = ReadString(
            baseElement,
            "mirror",
            required: false,
            MirrorPattern(),
            "an http:// or https:// URL",
            "build.base."
        );
        return new WorkloadBaseSystem
        {
            Suite = suite ?? defaults.Suite,
            Variant = variant ?? defaults.Variant,
            Mirror = mirror?.TrimEnd('/') ?? defaults.Mirror,
        };
    }

    private WorkloadApplication? ReadApplication(JsonElement build)
    {
        if (!build.TryGetProperty("application", out var application))
        {
            _errors.Add("'build.application' is missing; it lists the workload's own files");
            return null;
        }

        if (application.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"'build.application' must be an object, found {Describe(application)}");
            return null;
        }

        CheckKnownFields(application, "build.application.", ApplicationFields);
        var destination = ReadAbsolutePath(application, "destination", "build.application.")
            ?? "/app";
        if (destination == "/")
        {
            _errors.Add("'build.application.destination' must be a folder below /, found \"/\"");
        }

        var files = ReadStringList(
            application,
            "files",
            required: true,
            allowEmpty: false,
            "build.application."
        );
        foreach (var file in files ?? [])
        {
            CheckApplicationFile(file);
        }

        var npmInstall = false;
        if (application.TryGetProperty("npmInstall", out var npm))
        {
            if (npm.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                npmInstall = npm.GetBoolean();
            }
            else
            {
                _errors.Add(
                    "'build.application.npmInstall' must be true or false, found " + Describe(npm)
                );
            }
        }

        if (npmInstall && files is not null)
        {
            foreach (var required in new[] { "package.json", "package-lock.json" })
            {
                if (!files.Contains(required))
                {
                    _errors.Add(
                        $"'build.application.npmInstall' is true but "
                            + $"'build.application.files' does not list {required}; npm ci needs it"
                    );
                }
            }
        }

        return files is null
            ? null
            : new WorkloadApplication
            {
                Destination = destination,
                Files = files,
                NpmInstall = npmInstall,
            };
    }

    private void CheckApplicationFile(string file)
    {
        var parts = file.Split('/');
        if (Path.IsPathRooted(file) || parts.Any(part => part is "" or "." or ".."))
        {
            _errors.Add(
                $"'build.application.files' contains \"{file}\"; entries must be "
                    + "relative paths inside the workload folder, without '.', '..' or empty parts"
            );
            return;
        }

        var path = Path.Combine(_folder, file);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            _errors.Add(
                $"'build.application.files' lists \"{file}\", which was not found at " + path
            );
        }
    }

    private IReadOnlyDictionary<string, string> ReadEnvironment(JsonElement root)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("environment", out var element))
        {
            return environment;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"'environment' must be an object of strings, found {Describe(element)}");
            return environment;
        }

        foreach (var variable in element.EnumerateObject())
        {
            if (variable.Name.Length == 0 || variable.Name.Contains('='))
            {
                _errors.Add(
                    $"'environment' has the variable name \"{variable.Name}\"; names "
                        + "must be non-empty and contain no '='"
                );
            }
            else if (variable.Value.ValueKind != JsonValueKind.String)
            {
                _errors.Add(
                    $"'environment.{variable.Name}' must be a string, found "
                        + Describe(variable.Value)
                );
            }
            else
            {
                environment[variable.Name] = variable.Value.GetString()!;
            }
        }

        return environment;
    }

    private int ReadPort(JsonElement root)
    {
        if (!root.TryGetProperty("port", out var element))
        {
            _errors.Add("'port' is missing; it is the TCP port the function listens on");
            return 0;
        }

        if (
            element.ValueKind != JsonValueKind.Number
            || !element.TryGetInt32(out var port)
            || port is < 1 or > 65535
        )
        {
            _errors.Add($"'port' must be an integer from 1 to 65535, found {Describe(element)}");
            return 0;
        }

        return port;
    }

    private string ReadRequestPath(JsonElement root, string field)
    {
        var path = ReadString(
            root,
            field,
            required: false,
            RequestPathPattern(),
            "an HTTP path starting with '/'"
        );
        return path ?? "/";
    }

    private string? ReadAbsolutePath(JsonElement element, string field, string prefix)
    {
        var path = ReadString(
            element,
            field,
            required: false,
            AbsolutePathPattern(),
            "an absolute path such as /app",
            prefix
        );
        return path is null || path == "/" ? path : path.TrimEnd('/');
    }

    private string? ReadString(
        JsonElement element,
        string field,
        bool required,
        Regex pattern,
        string expected,
        string prefix = ""
    )
    {
        if (!element.TryGetProperty(field, out var value))
        {
            if (required)
            {
                _errors.Add($"'{prefix}{field}' is missing; expected {expected}");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !pattern.IsMatch(value.GetString()!))
        {
            _errors.Add($"'{prefix}{field}' must be {expected}, found {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    private List<string>? ReadStringList(
        JsonElement element,
        string field,
        bool required,
        bool allowEmpty,
        string prefix = ""
    )
    {
        if (!element.TryGetProperty(field, out var value))
        {
            if (required)
            {
                _errors.Add($"'{prefix}{field}' is missing; expected an array of strings");
            }

            return null;
        }

        if (
            value.ValueKind != JsonValueKind.Array
            || value
                .EnumerateArray()
                .Any(item =>
                    item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0
                )
        )
        {
            _errors.Add(
                $"'{prefix}{field}' must be an array of non-empty strings, found " + Describe(value)
            );
            return null;
        }

        var items = value.EnumerateArray().Select(item => item.GetString()!).ToList();
        if (!allowEmpty && items.Count == 0)
        {
            _errors.Add($"'{prefix}{field}' must not be empty");
            return null;
        }

        return items;
    }

    private void CheckKnownFields(JsonElement element, string prefix, string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                _errors.Add(
                    $"'{prefix}{property.Name}' is not a known field; expected one "
                        + $"of {string.Join(", ", known)}"
                );
            }
        }
    }

    private HarnessException Invalid(IReadOnlyList<string> errors) =>
        new(
            $"{_manifestPath} is invalid:\n"
                + string.Join("\n", errors.Select(e => $"  - {e}"))
                + "\nFix these fields and run the command again."
        );

    private static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex DebianPackagePattern();

    [GeneratedRegex("^https?://[^\\s]+$")]
    private static partial Regex MirrorPattern();

    [GeneratedRegex("^/[^\\s]*$")]
    private static partial Regex RequestPathPattern();

    [GeneratedRegex("^/[^\\0]*$")]
    private static partial Regex AbsolutePathPattern();
}
