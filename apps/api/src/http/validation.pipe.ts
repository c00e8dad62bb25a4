import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { arraySizeIssues } from '@certflow/domain';
import { ApplicationError } from '@certflow/application';

/**
 * DTO validation with the arrays' sizes first: a body whose array is over its field's limit
 * (`items`: 50,000) is refused naming it before class-validator walks every item of it.
 */
class GrammarValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const issues = arraySizeIssues(value);
      if (issues.length > 0) {
        throw new ApplicationError('INVALID_FIELD', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), issues);
      }
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** DTO validation: unknown fields refused, every problem named by its path (`items[3].party.name`). */
export function validationPipe(): ValidationPipe {
  return new GrammarValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const issues = flatten(errors);
      return new ApplicationError('INVALID_FIELD', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), issues);
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): { path: string; rule: string }[] {
  return errors.flatMap((e) => {
    const path = !prefix
      ? e.property
      : /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((rule) => ({ path, rule: rule.replace(/^property \S+ /, '') }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
