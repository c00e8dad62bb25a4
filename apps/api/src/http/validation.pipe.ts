import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApplicationError } from '@certflow/application';

/** DTO validation: unknown fields refused, every problem named by its path (`items[3].party.name`). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
