"""Questions asked of a loaded knowledge base: what the user typed resolves to which record, which
meetings belong to a person, organisation or country, what an audience may see, what was known
on a day. Every command that answers such a question asks it here."""
