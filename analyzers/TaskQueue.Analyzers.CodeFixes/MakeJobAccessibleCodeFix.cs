using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace TaskQueue.Analyzers.CodeFixes;

/// <summary>TQ0006: makes the inaccessible job method, or the containing type that hides it, public.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeJobAccessibleCodeFix)), Shared]
public sealed class MakeJobAccessibleCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.InaccessibleJobId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // The diagnostic sits on the job method; when a containing type is the problem, the analyzer
            // names it in the properties and points at it with the additional location.
            var target = diagnostic.Location;
            if (diagnostic.Properties.TryGetValue(JobProblemDiagnostics.TargetProperty, out var kind) && kind == "type")
            {
                target = diagnostic.AdditionalLocations.FirstOrDefault(l => l.SourceTree == root.SyntaxTree);
                if (target is null)
                {
                    // The type is declared (only) in another file: leave it to the author.
                    continue;
                }
            }

            var member = root.FindNode(target.SourceSpan, getInnermostNodeForTie: true)
                .AncestorsAndSelf()
                .OfType<MemberDeclarationSyntax>()
                .FirstOrDefault(m => m is MethodDeclarationSyntax or BaseTypeDeclarationSyntax);
            if (member is null)
            {
                continue;
            }

            var what = member is MethodDeclarationSyntax method ? method.Identifier.Text : ((BaseTypeDeclarationSyntax)member).Identifier.Text;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{what}' public",
                    ct => MakePublicAsync(context.Document, root, member, ct),
                    equivalenceKey: nameof(MakeJobAccessibleCodeFix)),
                diagnostic);
        }
    }

    private static Task<Document> MakePublicAsync(Document document, SyntaxNode root, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        _ = cancellationToken;

        // SyntaxGenerator replaces every accessibility keyword ("private protected" included) and keeps the trivia.
        var generator = SyntaxGenerator.GetGenerator(document);
        var updated = generator.WithAccessibility(member, Accessibility.Public);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(member, updated)));
    }
}
