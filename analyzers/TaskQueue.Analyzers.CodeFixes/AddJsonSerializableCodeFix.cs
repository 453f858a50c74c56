using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace TaskQueue.Analyzers.CodeFixes;

/// <summary>TQ0003: adds <c>[JsonSerializable(typeof(T))]</c> to the user's JsonSerializerContext.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFix)), Shared]
public sealed class AddJsonSerializableCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.TypeMissingFromJsonContextId);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(JobProblemDiagnostics.PayloadTypeProperty, out var typeName) || typeName is null
                || diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree is not { } contextTree)
            {
                continue;
            }

            var contextDocument = context.Document.Project.Solution.GetDocument(contextTree);
            if (contextDocument is null)
            {
                continue;
            }

            var span = diagnostic.AdditionalLocations[0].SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [JsonSerializable(typeof({Simplify(typeName)}))] to the context",
                    ct => AddAttributeAsync(contextDocument, span, typeName, ct),
                    equivalenceKey: nameof(AddJsonSerializableCodeFix) + typeName),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> AddAttributeAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, string typeName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindToken(span.Start).Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault() is not { } declaration)
        {
            return document.Project.Solution;
        }

        var attribute = SyntaxFactory.Attribute(
            SyntaxFactory.ParseName("global::System.Text.Json.Serialization.JsonSerializable"),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(typeName))))))
            .WithAdditionalAnnotations(Simplifier.Annotation);

        // Sits with the context's other [JsonSerializable] lines: after the last attribute list, before the modifiers.
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute));
        var lists = declaration.AttributeLists;
        ClassDeclarationSyntax updated;
        if (lists.Count == 0)
        {
            var leading = declaration.GetLeadingTrivia();
            updated = declaration.WithoutLeadingTrivia()
                .WithAttributeLists(SyntaxFactory.SingletonList(list.WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)));
        }
        else
        {
            var last = lists[lists.Count - 1];
            var indentation = last.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            updated = declaration.WithAttributeLists(lists.Add(list.WithLeadingTrivia(indentation).WithTrailingTrivia(last.GetTrailingTrivia())));
        }

        var newRoot = root.ReplaceNode(declaration, updated);
        var newDocument = await Simplifier.ReduceAsync(document.WithSyntaxRoot(newRoot), Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return newDocument.Project.Solution;
    }

    private static string Simplify(string fullyQualified)
        => fullyQualified.StartsWith("global::", System.StringComparison.Ordinal) ? fullyQualified.Substring("global::".Length) : fullyQualified;
}
