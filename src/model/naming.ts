/** How property and class names become column and table names. */
export interface NamingStrategy {
  /** `createdAt` -> `created_at` */
  columnName(property: string): string;
  /** `BlogPost` -> `blog_posts` (used when `@table()` gives no name) */
  tableName(className: string): string;
}

const snake = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();

/** The default: snake_case columns, snake_case plural tables. */
export const snakeCaseNaming: NamingStrategy = {
  columnName: snake,
  tableName: (className) => {
    const base = snake(className);
    if (/(s|x|z|ch|sh)$/.test(base)) return `${base}es`;
    if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
    return `${base}s`;
  },
};

/** Columns named exactly as the properties, tables as the classes. */
export const identityNaming: NamingStrategy = {
  columnName: (property) => property,
  tableName: (className) => className,
};
