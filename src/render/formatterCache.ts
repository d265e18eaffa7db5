/** One Intl formatter per locale and options, made on first use: making one costs far more
 *  than formatting with it, and a table formats every cell of a column alike. */
export function formatterCache<Options, Formatter>(
  make: (locale: string, options: Options) => Formatter,
): (locale: string, options: Options) => Formatter {
  const formatters = new Map<string, Formatter>();
  return (locale, options) => {
    const key = `${locale}|${JSON.stringify(options)}`;
    let f = formatters.get(key);
    if (!f) {
      f = make(locale, options);
      formatters.set(key, f);
    }
    return f;
  };
}
